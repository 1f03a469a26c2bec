using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GGnet.Bench;

/// <summary>Results as JSON (one file per scenario, kept between runs of other scenarios) and docs/benchmarks.md written from all of them.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task SaveAsync(ScenarioResult result, string resultsDirectory)
    {
        Directory.CreateDirectory(resultsDirectory);
        var path = Path.Combine(resultsDirectory, result.Scenario + ".json");
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(result, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static async Task WriteDocAsync(string resultsDirectory, string docPath)
    {
        var results = new List<ScenarioResult>();
        foreach (var file in Directory.EnumerateFiles(resultsDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            results.Add(JsonSerializer.Deserialize<ScenarioResult>(await File.ReadAllTextAsync(file), Json)!);
        }
        var doc = new StringBuilder();
        doc.AppendLine("# Benchmarks");
        doc.AppendLine();
        doc.AppendLine("Every figure here was measured by `bench/run` on the machine named with it, against the real programs (GGnet published");
        doc.AppendLine("in Release, Debian's Chromium, dhcpd, tgtd). This file is written by the runner from `bench/results/*.json`; run it");
        doc.AppendLine("again to measure your own server.");
        doc.AppendLine();
        doc.AppendLine("## How to run");
        doc.AppendLine();
        doc.AppendLine("```sh");
        doc.AppendLine("sudo bash bench/run              # every scenario");
        doc.AppendLine("sudo bash bench/run dashboard    # one of them: dashboard, dhcp, idle, scripts, sessions, storm, realos, dataplane");
        doc.AppendLine("```");
        doc.AppendLine();
        doc.AppendLine("It needs root (GGnet runs in lab mode, inside its own network namespace: nothing reaches this machine's networks;");
        doc.AppendLine("wrk, nginx and GGnet's API listen on 127.0.0.1 only), installs what it needs from Debian, publishes GGnet, runs the");
        doc.AppendLine("scenarios (about 41 minutes for all of them on 2 cores, 14 of them the real-OS boots and 11 the data plane) and rewrites this file and `bench/results/<scenario>.json`.");
        doc.AppendLine("A goal marked *missed* says so; the notes under each table say why, with the profile that shows it. Run it on a quiet");
        doc.AppendLine("machine: other work on the same cores shows in every figure.");
        doc.AppendLine();
        doc.AppendLine("To see where the time goes: `GGNET_BENCH_LOG_LEVEL=Information GGNET_BENCH_KEEP=1` keeps GGnet's log (every command it ran,");
        doc.AppendLine("with its duration) and data; `dotnet-trace collect -p <GGnet's pid> --duration 00:00:00:20` and `dotnet-counters monitor -p`");
        doc.AppendLine("(NuGet global tools) during a run give the profiles quoted below. The runner's own switches:");
        doc.AppendLine("- `GGNET_BENCH_PERF=DIR` (Debian's `linux-perf`; `DOTNET_PerfMapEnabled=1` for names) or `GGNET_BENCH_TRACE=DIR`");
        doc.AppendLine("  (`dotnet-trace`) runs the boot-script load (and the storm) once more after the measured run, under the profiler,");
        doc.AppendLine("  and leaves the top functions in DIR;");
        doc.AppendLine("- `GGNET_BENCH_HOLD=SECONDS` holds the dashboard run with ten dashboards open, to look at GGnet's memory");
        doc.AppendLine("  (`dotnet-dump`, `/proc/PID/smaps`);");
        doc.AppendLine("- `GGNET_BENCH_ALLOC=DIR` records, after the dashboard run's measures, 25 s of what the ten dashboards and the hall");
        doc.AppendLine("  allocate, summed by GGnet's own methods (`dotnet-trace`, DIR/dashboard.alloc.txt).");
        foreach (var result in results)
        {
            doc.AppendLine();
            doc.AppendLine(CultureInfo.InvariantCulture, $"## {result.Title}");
            doc.AppendLine();
            doc.AppendLine(CultureInfo.InvariantCulture, $"Measured {result.At:yyyy-MM-dd HH:mm} UTC on {result.Machine}. {result.Setup}");
            doc.AppendLine();
            doc.AppendLine("| Measure | Result | Goal |");
            doc.AppendLine("| --- | ---: | --- |");
            foreach (var measure in result.Measures)
            {
                var goal = measure.Goal is { } g
                    ? $"{(measure.LowerIsBetter ? "≤" : "≥")} {Format(g)} {measure.Unit}: {(measure.Met == true ? "met" : "**missed**")}"
                    : "";
                var note = measure.Note is { } n ? $" ({n})" : "";
                doc.AppendLine(CultureInfo.InvariantCulture, $"| {measure.Name} | {Format(measure.Value)} {measure.Unit}{note} | {goal} |");
            }
            foreach (var note in result.Notes)
            {
                doc.AppendLine();
                doc.AppendLine(note);
            }
        }
        await File.WriteAllTextAsync(docPath + ".tmp", doc.ToString());
        File.Move(docPath + ".tmp", docPath, overwrite: true);
    }

    private static string Format(double value) =>
        value >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.0#", CultureInfo.InvariantCulture);
}
