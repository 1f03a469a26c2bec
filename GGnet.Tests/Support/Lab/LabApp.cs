using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GGnet.Tests.Support.Netboot;

namespace GGnet.Tests.Support.Lab;

/// <summary>
/// The real GGnet app as its own process, in lab mode, on a loopback port: it creates its lab network (a namespace
/// only this test uses), runs its virtual PCs there, and can be stopped, killed and started again on the same data.
/// </summary>
public sealed class LabApp : IAsyncDisposable
{
    public const string AdminPassword = "lab-admin-pass-1";

    private readonly TempDirectory _data = new();
    private Process? _process;
    private int _runs;

    public LabApp()
    {
        Namespace = "ggnet-t" + Guid.NewGuid().ToString("N")[..6];
        Port = FreeLoopbackPort();
    }

    public string Namespace { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string DataDirectory => _data.Path;

    public string NamespaceHandle => Path.Combine("/run/netns", Namespace);

    public string Log => Path.Combine(DataDirectory, $"app-{_runs}.log");

    public async Task StartAsync()
    {
        _runs++;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GGnet.Web.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["GGNET_ADMIN_PASSWORD"] = AdminPassword;
        start.Environment["GGNET__Database__DataDirectory"] = DataDirectory;
        start.Environment["GGNET__Lab__Enabled"] = "true";
        start.Environment["GGNET__Lab__Namespace"] = Namespace;
        start.Environment["GGNET__Lab__TgtControlPort"] = Random.Shared.Next(20000, 32000).ToString(CultureInfo.InvariantCulture);
        start.Environment["GGNET__Boot__ObserveMilliseconds"] = "500";
        start.Environment["GGNET__Boot__SyncDelayMilliseconds"] = "100";
        _process = Process.Start(start) ?? throw new InvalidOperationException("GGnet did not start");
        var log = new StreamWriter(Log) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException("GGnet in lab mode did not answer: " + await File.ReadAllTextAsync(Log));
    }

    /// <summary>A client logged in as admin through a bearer token.</summary>
    public async Task<HttpClient> CreateAdminClientAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        var token = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = AdminPassword })).Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
        return client;
    }

    /// <summary>SIGKILL: GGnet gets no chance to clean up, like a crash or a power cut.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as systemd or Ctrl+C stops GGnet; waits for it to finish.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await NetbootLab.StopAsync(_process);
        }
    }

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
            .Select(pid => (pid, File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : "?"))
            .ToList();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
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
        _data.Dispose();
    }
}
