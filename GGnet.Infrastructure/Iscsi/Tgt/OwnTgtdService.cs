using System.Globalization;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Iscsi.Tgt;

/// <summary>
/// When <c>Iscsi:RunOwnTgtd</c> is set, GGnet runs a tgtd of its own (own control port and IPC socket, portal on
/// <c>Iscsi:PortalAddress</c>) and stops it on shutdown; otherwise the system's tgt service is used.
/// Targets are not kept across restarts: the reconcile job recreates those of active sessions.
/// </summary>
public sealed class OwnTgtdService(IOptions<IscsiOptions> options, ExternalCommand commands, ILogger<OwnTgtdService> logger) : IHostedService, IAsyncDisposable, IDisposable
{
    private SupervisedProcess? _tgtd;
    private readonly Queue<string> _lastLines = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var iscsi = options.Value;
        if (!iscsi.RunOwnTgtd)
        {
            return;
        }
        if (!string.IsNullOrEmpty(iscsi.NetworkNamespace) && !File.Exists(Path.Combine("/run/netns", iscsi.NetworkNamespace)))
        {
            logger.LogWarning("Not starting tgtd: its network namespace {Namespace} is not there (see the lab's status)", iscsi.NetworkNamespace);
            return;
        }
        var (program, arguments) = InNamespace(iscsi, iscsi.TgtdPath,
            ["-f", "-C", iscsi.TgtControlPort.ToString(CultureInfo.InvariantCulture), "-t", iscsi.TgtIoThreads.ToString(CultureInfo.InvariantCulture),
                "--iscsi", $"portal={iscsi.PortalAddress}:3260"]);
        if (!string.IsNullOrEmpty(iscsi.TgtIpcSocket))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(iscsi.TgtIpcSocket)!);
        }
        // In its own session: a Ctrl+C meant for GGnet must not end tgtd before GGnet has powered the lab's PCs off. Its
        // output is read as it comes: tgtd writes a line per LUN it opens, and with its pipe full (at ~470 targets) it
        // would stop answering.
        _tgtd = SupervisedProcess.Start("setsid", [program, .. arguments], Keep, TgtdEnvironment(iscsi));
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await RunTgtadmAsync(["--op", "show", "--mode", "target"], cancellationToken)).Succeeded)
            {
                logger.LogInformation("Started tgtd (pid {Pid}, control port {Port}, portal {Portal}:3260)", _tgtd.Pid, iscsi.TgtControlPort, iscsi.PortalAddress);
                return;
            }
            if (_tgtd.HasExited)
            {
                break;
            }
            await Task.Delay(100, cancellationToken);
        }
        if (_tgtd.HasExited)
        {
            await _tgtd.Exited;
        }
        string said;
        lock (_lastLines)
        {
            said = string.Join('\n', _lastLines);
        }
        throw new InvalidOperationException($"GGnet started tgtd but it does not answer: {said}".Trim());
    }

    // What tgtd says goes to the debug log; the last lines are kept for the error when it does not start.
    private void Keep(string line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }
        logger.LogDebug("tgtd: {Line}", line);
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }
    }

    // tgtd ignores SIGTERM while it has targets: remove them and ask it to leave.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_tgtd is not { HasExited: false })
        {
            return;
        }
        var listing = await RunTgtadmAsync(["--lld", "iscsi", "--op", "show", "--mode", "target"], cancellationToken);
        foreach (var entry in TgtTargetListing.Parse(listing.StandardOutput))
        {
            await RunTgtadmAsync(["--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", entry.Tid.ToString(CultureInfo.InvariantCulture), "--force"], cancellationToken);
        }
        await RunTgtadmAsync(["--op", "delete", "--mode", "system"], cancellationToken);
        await _tgtd.StopAsync(TimeSpan.FromSeconds(5));
    }

    public bool IsRunning => _tgtd is { HasExited: false };

    private Task<CommandOutput> RunTgtadmAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var iscsi = options.Value;
        var (program, all) = InNamespace(iscsi, iscsi.TgtadmPath, ["-C", iscsi.TgtControlPort.ToString(CultureInfo.InvariantCulture), .. arguments]);
        return commands.RunAsync(program, all, cancellationToken, environment: TgtdEnvironment(iscsi));
    }

    // The IPC socket tgtd and tgtadm meet at, when it is not tgt's default.
    private static Dictionary<string, string?>? TgtdEnvironment(IscsiOptions iscsi) =>
        string.IsNullOrEmpty(iscsi.TgtIpcSocket) ? null : new() { ["TGT_IPC_SOCKET"] = iscsi.TgtIpcSocket };

    /// <summary>A tgtd still running (GGnet did not stop as a host does) is stopped: nothing else would.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_tgtd is not null)
        {
            await _tgtd.DisposeAsync();
        }
    }

    // For a container disposed without await: the same, waited for.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// The program and arguments that run a tgt tool where tgtd lives: the host, or the lab's network namespace. Only
    /// the network is entered (not <c>ip netns exec</c>, which also makes a mount namespace of its own): tgtd must see
    /// the overlay disks GGnet mounts after it started.
    /// </summary>
    private static (string Program, string[] Arguments) InNamespace(IscsiOptions iscsi, string program, IReadOnlyList<string> arguments) =>
        string.IsNullOrEmpty(iscsi.NetworkNamespace)
            ? (program, arguments.ToArray())
            : ("nsenter", [$"--net=/run/netns/{iscsi.NetworkNamespace}", "--", program, .. arguments]);
}
