using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CliWrap;

namespace GGnet.Bench;

/// <summary>
/// The published GGnet, started as its own process in lab mode (its own network namespace, dhcpd, tftpd and tgtd inside it;
/// nothing on this machine's networks), on a free loopback port with a fresh data directory; stopped by SIGTERM.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    public const string AdminPassword = "bench-admin-pass-1";

    private readonly string _appDirectory;
    private readonly string _data;
    private Process? _process;

    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">More settings, as configuration keys (Section:Key).</param>
    /// <param name="dataParent">Where GGnet's data directory goes (the temporary folder unless given), e.g. on a reflink volume.</param>
    public BenchApp(string appDirectory, IReadOnlyDictionary<string, string>? settings = null, string? dataParent = null)
    {
        _appDirectory = appDirectory;
        _settings = settings ?? new Dictionary<string, string>();
        _data = Path.Combine(dataParent ?? Path.GetTempPath(), "ggnet-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Namespace = "ggnet-b" + Guid.NewGuid().ToString("N")[..6];
        Port = FreeLoopbackPort();
    }

    public string Namespace { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public int Pid => _process?.Id ?? throw new InvalidOperationException("GGnet is not running.");

    public string Log => Path.Combine(_data, "app.log");

    /// <summary>GGnet's data directory (ggnet.db, hangfire.db, the lab's files).</summary>
    public string DataDirectory => _data;

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_data);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(_appDirectory, "GGnet.Web.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _appDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["GGNET_ADMIN_PASSWORD"] = AdminPassword;
        start.Environment["GGNET__Database__DataDirectory"] = _data;
        start.Environment["GGNET__Lab__Enabled"] = "true";
        start.Environment["GGNET__Lab__Namespace"] = Namespace;
        start.Environment["GGNET__Lab__TgtControlPort"] = Random.Shared.Next(20000, 32000).ToString(CultureInfo.InvariantCulture);
        // GGNET_BENCH_LOG_LEVEL=Information logs every command GGnet runs with its duration (in the app log, kept with GGNET_BENCH_KEEP=1).
        start.Environment["Logging__LogLevel__Default"] = Environment.GetEnvironmentVariable("GGNET_BENCH_LOG_LEVEL") ?? "Warning";
        foreach (var (key, value) in _settings)
        {
            start.Environment["GGNET__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("GGnet did not start.");
        var log = new StreamWriter(Log) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(90);
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
        var tail = string.Join('\n', File.ReadLines(Log).TakeLast(15));
        throw new InvalidOperationException($"GGnet did not answer within 90 s{(_process.HasExited ? $" (it ended, exit {_process.ExitCode})" : "")}; the end of its log {Log}:\n{tail}");
    }

    public async Task<HttpClient> AdminClientAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var token = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = AdminPassword })).Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
        return client;
    }

    /// <summary>GGnet's resident memory now, in MiB (VmRSS).</summary>
    public double RssMiB() => ReadStatus("VmRSS:");

    /// <summary>CPU time GGnet has used since it started (user + system), in seconds.</summary>
    public double CpuSeconds() => CpuSecondsOf(Pid);

    /// <summary>
    /// Waits until GGnet uses under 4% of a core over half a second (at most 30 s): what a burst left for later (its
    /// recompiled code, collections, coalesced syncs) done. Returns how long that took, in s, and the CPU GGnet used meanwhile.
    /// </summary>
    public async Task<(double Seconds, double CpuSeconds)> WaitUntilQuietAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var start = CpuSeconds();
        var last = start;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(500);
            var now = CpuSeconds();
            if (now - last <= 0.02)
            {
                return (clock.Elapsed.TotalSeconds, now - start);
            }
            last = now;
        }
        return (clock.Elapsed.TotalSeconds, CpuSeconds() - start);
    }

    /// <summary>CPU time of the lab's tgtd (GGnet's child process), in seconds.</summary>
    public double TgtdCpuSeconds()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && File.Exists($"{folder}/stat")
                && File.ReadAllText($"{folder}/stat") is var stat && stat.Contains("(tgtd)", StringComparison.Ordinal)
                && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == Pid.ToString(CultureInfo.InvariantCulture))
            {
                return CpuSecondsOf(pid);
            }
        }
        throw new InvalidOperationException("The lab's tgtd is not running.");
    }

    private static double CpuSecondsOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 a second on Linux).
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100;
    }

    /// <summary>The most GGnet's resident memory has been since it started, in MiB (VmHWM).</summary>
    public double PeakRssMiB() => ReadStatus("VmHWM:");

    private double ReadStatus(string field)
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            await Cli.Wrap("kill").WithArguments(["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process?.Dispose();
        if (Environment.GetEnvironmentVariable("GGNET_BENCH_KEEP") is { Length: > 0 })
        {
            Console.WriteLine($"   (GGnet's data directory kept: {_data})");
            return;
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
