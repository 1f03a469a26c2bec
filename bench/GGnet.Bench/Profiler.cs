using System.Diagnostics;

namespace GGnet.Bench;

/// <summary>
/// With <c>GGNET_BENCH_TRACE</c> set to a folder, a scenario runs its load once more while dotnet-trace samples GGnet
/// (after the measured run, so the trace never slows the figures), and leaves <c>{scenario}.nettrace</c> there with
/// the top functions beside it (<c>dotnet-trace report … topN</c>).
/// </summary>
public static class Profiler
{
    public const string Variable = "GGNET_BENCH_TRACE";

    /// <summary>A folder: the load runs once more under <c>perf record</c> (start GGnet with <c>DOTNET_PerfMapEnabled=1</c> for names).</summary>
    public const string PerfVariable = "GGNET_BENCH_PERF";

    public static async Task TraceUnderLoadAsync(int pid, string scenario, Func<Task> load)
    {
        await PerfUnderLoadAsync(pid, scenario, load);
        if (OutputFolder(Variable) is not { } folder)
        {
            return;
        }
        var trace = Path.Combine(folder, scenario + ".nettrace");
        using var collect = CollectTrace(pid, "dotnet-sampled-thread-time", TimeSpan.FromSeconds(8), trace);
        await Task.Delay(1000);
        await load();
        await collect.WaitForExitAsync();
        foreach (var (name, inclusive) in new[] { ("top-exclusive", false), ("top-inclusive", true) })
        {
            var arguments = new List<string> { "report", trace, "topN", "-n", "60" };
            if (inclusive)
            {
                arguments.Add("--inclusive");
            }
            using var report = Process.Start(new ProcessStartInfo(DotnetTrace, arguments) { RedirectStandardOutput = true })!;
            await File.WriteAllTextAsync(Path.Combine(folder, $"{scenario}.{name}.txt"), await report.StandardOutput.ReadToEndAsync());
            await report.WaitForExitAsync();
        }
        Console.WriteLine($"   trace of GGnet under load: {trace}");
    }

    /// <summary>The folder an environment variable names, made if missing; null when it is not set (no profiling).</summary>
    public static string? OutputFolder(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } folder ? Directory.CreateDirectory(folder).FullName : null;

    /// <summary>dotnet-trace collecting from GGnet with the profile given, into trace, for the duration.</summary>
    public static Process CollectTrace(int pid, string profile, TimeSpan duration, string trace) =>
        Process.Start(new ProcessStartInfo(DotnetTrace,
            ["collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", profile,
                "--duration", duration.ToString(@"dd\:hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture), "-o", trace])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("dotnet-trace did not start: install it with `dotnet tool install -g dotnet-trace`.");

    // The global tool's (dotnet tool install -g dotnet-trace), else the one on the PATH.
    private static string DotnetTrace
    {
        get
        {
            var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
            return File.Exists(tool) ? tool : "dotnet-trace";
        }
    }

    private static async Task PerfUnderLoadAsync(int pid, string scenario, Func<Task> load)
    {
        if (OutputFolder(PerfVariable) is not { } folder)
        {
            return;
        }
        var data = Path.Combine(folder, scenario + ".perf.data");
        using var record = Process.Start(new ProcessStartInfo("perf",
            ["record", "-F", "999", "-g", "-o", data, "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", "sleep", "8"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("perf did not start: apt-get install linux-perf.");
        await Task.Delay(500);
        await load();
        await record.WaitForExitAsync();
        foreach (var (name, children) in new[] { ("self", "--no-children"), ("children", "--children") })
        {
            using var report = Process.Start(new ProcessStartInfo("perf", ["report", "-i", data, children, "--sort", "symbol", "--stdio", "-g", "none", "--percent-limit", "0.3"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await File.WriteAllTextAsync(Path.Combine(folder, $"{scenario}.perf-{name}.txt"), await report.StandardOutput.ReadToEndAsync());
            await report.WaitForExitAsync();
        }
        Console.WriteLine($"   perf profile of GGnet under load: {data}");
    }
}
