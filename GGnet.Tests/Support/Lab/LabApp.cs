using System.Diagnostics;
using System.Globalization;

namespace GGnet.Tests.Support.Lab;

/// <summary>
/// The real GGnet app as its own process, in lab mode, on a loopback port: it creates its lab network (a namespace
/// only this test uses), runs its virtual PCs there, and can be stopped, killed and started again on the same data.
/// </summary>
public sealed class LabApp : IAsyncDisposable
{
    private readonly TempDirectory? _data;
    private readonly GGnetProcess _app;

    public LabApp(params (string Key, string Value)[] settings)
        : this(null, settings)
    {
    }

    /// <param name="dataDirectory">GGnet's data directory (e.g. on a reflink filesystem); a temporary one when null.</param>
    public LabApp(string? dataDirectory, params (string Key, string Value)[] settings)
    {
        if (dataDirectory is null)
        {
            _data = new TempDirectory();
        }
        DataDirectory = dataDirectory ?? _data!.Path;
        Namespace = "ggnet-t" + Guid.NewGuid().ToString("N")[..6];
        _app = new GGnetProcess(DataDirectory,
        [
            ("Lab:Enabled", "true"),
            ("Lab:Namespace", Namespace),
            ("Lab:TgtControlPort", Random.Shared.Next(20000, 32000).ToString(CultureInfo.InvariantCulture)),
            ("Boot:ObserveMilliseconds", "500"),
            ("Boot:SyncDelayMilliseconds", "100"),
            .. settings,
        ]);
    }

    public const string AdminPassword = GGnetProcess.AdminPassword;

    public string Namespace { get; }

    public int Port => _app.Port;

    public Uri BaseAddress => _app.BaseAddress;

    public string DataDirectory { get; }

    public string NamespaceHandle => Path.Combine("/run/netns", Namespace);

    public string Log => _app.Log;

    public Task StartAsync() => _app.StartAsync();

    /// <summary>A client logged in as admin through a bearer token.</summary>
    public Task<HttpClient> CreateAdminClientAsync() => _app.CreateAdminClientAsync();

    /// <summary>SIGKILL: GGnet gets no chance to clean up, like a crash or a power cut.</summary>
    public Task KillAsync() => _app.KillAsync();

    /// <summary>SIGTERM, as systemd or Ctrl+C stops GGnet; waits for it to finish.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <summary>The processes in the lab namespace, by name.</summary>
    public async Task<IReadOnlyList<(int Pid, string Name)>> LabProcessesAsync()
    {
        if (!File.Exists(NamespaceHandle))
        {
            return [];
        }
        var pids = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(CliWrap.Cli.Wrap("ip").WithArguments(["netns", "pids", Namespace]));
        return pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
            .Select(pid => (Pid: pid, Name: NameOf(pid)))
            .Where(p => p.Name is not null)
            .Select(p => (p.Pid, p.Name!))
            .ToList();
    }

    // GGnet's own logs outlive the data directory, in artifacts/lab-logs, named by when the test ended: a lab test that
    // failed on a busy machine is read there afterwards.
    private void KeepLogs()
    {
        var kept = Path.Combine(Artifacts.Directory, "lab-logs");
        Directory.CreateDirectory(kept);
        var ended = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        foreach (var log in Directory.EnumerateFiles(DataDirectory, "app-*.log"))
        {
            File.Copy(log, Path.Combine(kept, $"{ended}-{Namespace}-{Path.GetFileName(log)}"), overwrite: true);
        }
    }

    // A process that exits between the listing and this read is no longer in the namespace: it is left out.
    private static string? NameOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        if (File.Exists(NamespaceHandle))
        {
            // The app should have removed it; if it did not, the test fails on that and this cleans up.
            foreach (var (pid, _) in await LabProcessesAsync())
            {
                try
                {
                    using var leftover = Process.GetProcessById(pid);
                    leftover.Kill();
                }
                catch (ArgumentException)
                {
                }
            }
            await CliWrap.Cli.Wrap("ip").WithArguments(["netns", "del", Namespace]).WithValidation(CliWrap.CommandResultValidation.None).ExecuteAsync();
        }
        await FuseLeftovers.StopAllAsync(Path.Combine(DataDirectory, "disks"));
        KeepLogs();
        _data?.Dispose();
    }
}
