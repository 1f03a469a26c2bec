using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GGnet.Tests.Support.Netboot;

namespace GGnet.Tests.Support;

/// <summary>
/// The real GGnet app as its own process on a loopback port, configured by settings (as <c>GGNET__Section__Key</c>
/// environment variables): it can be stopped, killed and started again on the same data. Given an installed app and
/// a user, it runs that app as that user (through setpriv), as a service runs.
/// </summary>
public sealed class GGnetProcess(string dataDirectory, IReadOnlyList<(string Key, string Value)> settings, string? installedApp = null, string? user = null)
    : IAsyncDisposable
{
    public const string AdminPassword = "process-admin-pass-1";

    private Process? _process;
    private int _runs;

    public int Port { get; } = FreeLoopbackPort();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Log => Path.Combine(dataDirectory, $"app-{_runs}.log");

    public async Task StartAsync()
    {
        _runs++;
        Directory.CreateDirectory(dataDirectory);
        string[] command = installedApp is null ? ["dotnet", Path.Combine(AppContext.BaseDirectory, "GGnet.Web.dll")] : [installedApp];
        string[] asUser = user is null ? [] : ["setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "--"];
        string[] all = [.. asUser, .. command];
        var start = new ProcessStartInfo(all[0], all[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = installedApp is null ? AppContext.BaseDirectory : Path.GetDirectoryName(installedApp)!,
        };
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["GGNET_ADMIN_PASSWORD"] = AdminPassword;
        start.Environment["GGNET__Database__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in settings)
        {
            start.Environment["GGNET__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
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
        throw new InvalidOperationException("GGnet did not answer: " + await File.ReadAllTextAsync(Log));
    }

    /// <summary>A client logged in as admin through a bearer token.</summary>
    public async Task<HttpClient> CreateAdminClientAsync()
    {
        // Long enough for a call that builds the lab's real-OS image at its first use.
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
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

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
