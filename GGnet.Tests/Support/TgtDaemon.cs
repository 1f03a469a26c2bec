using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Tests.Support;

/// <summary>A private tgtd on 127.0.0.1 (own control port and IPC socket), stopped and emptied when disposed.</summary>
public sealed class TgtDaemon : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private Process? _process;
    private bool _paused;

    public int ControlPort { get; } = Random.Shared.Next(2000, 30000);

    public int IscsiPort { get; private set; }

    public string IpcSocket => Path.Combine(_directory.Path, "tgtd.sock");

    public string Directory => _directory.Path;

    public static async Task<TgtDaemon> StartAsync()
    {
        var daemon = new TgtDaemon { IscsiPort = FreeTcpPort() };
        try
        {
            await daemon.LaunchAsync();
            return daemon;
        }
        catch (InvalidOperationException)
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>tgtd dies (SIGKILL) and comes back on the same ports, empty: what a crash or a package upgrade does to the targets.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    /// <summary>
    /// tgtd stops (SIGSTOP) without dying: its sockets still take connections and requests, but nothing is answered
    /// until <see cref="ResumeAsync"/>. A stalled target server, and a way to catch a caller half-way.
    /// </summary>
    public async Task PauseAsync()
    {
        await SignalAsync("-STOP");
        _paused = true;
    }

    /// <summary>tgtd goes on (SIGCONT) after <see cref="PauseAsync"/> and answers what waited.</summary>
    public async Task ResumeAsync()
    {
        await SignalAsync("-CONT");
        _paused = false;
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("tgtd is not running");
        await Cli.Wrap("kill").WithArguments([signal, process.Id.ToString(CultureInfo.InvariantCulture)]).ExecuteAsync();
    }

    /// <summary>tgtd dies (SIGKILL) and stays down.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
        File.Delete(IpcSocket);
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo("/usr/sbin/tgtd", ["-f", "-C", ControlPort.ToString(CultureInfo.InvariantCulture), "--iscsi", $"portal=127.0.0.1:{IscsiPort}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["TGT_IPC_SOCKET"] = IpcSocket;
        _process = Process.Start(start) ?? throw new InvalidOperationException("tgtd did not start");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await TgtadmAsync("--op", "show", "--mode", "target")).ExitCode == 0)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("tgtd did not answer within 10 seconds.");
    }

    public Microsoft.Extensions.Options.IOptions<GGnet.Infrastructure.Iscsi.IscsiOptions> Options() =>
        Microsoft.Extensions.Options.Options.Create(new GGnet.Infrastructure.Iscsi.IscsiOptions { TgtControlPort = ControlPort, TgtIpcSocket = IpcSocket });

    /// <summary>GGnet's tgt backend for this tgtd, speaking to its socket as GGnet does when it is root.</summary>
    public GGnet.Infrastructure.Iscsi.Tgt.TgtBackend Backend() =>
        new(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(Options()), Options(), TimeProvider.System);

    public Task<BufferedCommandResult> TgtadmAsync(params string[] arguments) =>
        Cli.Wrap("/usr/sbin/tgtadm")
            .WithArguments(["-C", ControlPort.ToString(CultureInfo.InvariantCulture), .. arguments])
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["TGT_IPC_SOCKET"] = IpcSocket })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // tgtd ignores SIGTERM while targets exist: remove them, then ask it to stop.
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            if (_paused)
            {
                await ResumeAsync();
            }
            var listing = (await TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
            foreach (var line in listing.Split('\n').Where(l => l.StartsWith("Target ", StringComparison.Ordinal)))
            {
                var tid = line[7..line.IndexOf(':', StringComparison.Ordinal)];
                await TgtadmAsync("--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", tid, "--force");
            }
            await TgtadmAsync("--op", "delete", "--mode", "system");
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process?.Dispose();
        _directory.Dispose();
    }
}
