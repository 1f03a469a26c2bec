using System.Diagnostics;
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
public sealed class OwnTgtdService(IOptions<IscsiOptions> options, ExternalCommand commands, ILogger<OwnTgtdService> logger) : IHostedService, IDisposable
{
    private Process? _tgtd;

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
        var (program, arguments) = TgtBackend.InNamespace(iscsi, iscsi.TgtdPath, ["-f", "-C", iscsi.TgtControlPort.ToString(CultureInfo.InvariantCulture), "--iscsi", $"portal={iscsi.PortalAddress}:3260"]);
        // In its own session: a Ctrl+C meant for GGnet must not end tgtd before GGnet has powered the lab's PCs off.
        var start = new ProcessStartInfo("setsid", [program, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (!string.IsNullOrEmpty(iscsi.TgtIpcSocket))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(iscsi.TgtIpcSocket)!);
            start.Environment["TGT_IPC_SOCKET"] = iscsi.TgtIpcSocket;
        }
        _tgtd = Process.Start(start) ?? throw new InvalidOperationException("GGnet could not start tgtd.");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await RunTgtadmAsync(["--op", "show", "--mode", "target"], cancellationToken)).Succeeded)
            {
                logger.LogInformation("Started tgtd (pid {Pid}, control port {Port}, portal {Portal}:3260)", _tgtd.Id, iscsi.TgtControlPort, iscsi.PortalAddress);
                return;
            }
            if (_tgtd.HasExited)
            {
                break;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException($"GGnet started tgtd but it does not answer: {await _tgtd.StandardError.ReadToEndAsync(cancellationToken)}".Trim());
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
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await _tgtd.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _tgtd.Kill();
        }
    }

    public bool IsRunning => _tgtd is { HasExited: false };

    private Task<CommandOutput> RunTgtadmAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var iscsi = options.Value;
        var environment = string.IsNullOrEmpty(iscsi.TgtIpcSocket) ? null : new Dictionary<string, string?> { ["TGT_IPC_SOCKET"] = iscsi.TgtIpcSocket };
        var (program, all) = TgtBackend.InNamespace(iscsi, iscsi.TgtadmPath, ["-C", iscsi.TgtControlPort.ToString(CultureInfo.InvariantCulture), .. arguments]);
        return commands.RunAsync(program, all, cancellationToken, environment: environment);
    }

    public void Dispose() => _tgtd?.Dispose();
}
