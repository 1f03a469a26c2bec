using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace GGnet.Bench;

/// <summary>
/// With <c>GGNET_BENCH_ALLOC</c> set to a folder, a scenario goes on as it was for a while more after its measures while
/// dotnet-trace records GGnet's allocations (the collector's sample of one every 100 KB or so, with its stack), and leaves
/// <c>{scenario}.alloc.nettrace</c> there with <c>{scenario}.alloc.txt</c> beside it: the bytes sampled, summed by the
/// first GGnet method on the stack (what of GGnet's own code asked for them), the largest first.
/// </summary>
public static class AllocationProfile
{
    public const string Variable = "GGNET_BENCH_ALLOC";

    private const int Shown = 40;

    public static async Task RecordAsync(int pid, string scenario, TimeSpan duration)
    {
        if (Profiler.OutputFolder(Variable) is not { } folder)
        {
            return;
        }
        var trace = Path.Combine(folder, scenario + ".alloc.nettrace");
        using var collect = Profiler.CollectTrace(pid, "gc-verbose", duration, trace);
        await collect.WaitForExitAsync();
        if (!File.Exists(trace))
        {
            throw new InvalidOperationException($"dotnet-trace wrote no trace: {await collect.StandardError.ReadToEndAsync()}");
        }
        var report = Path.Combine(folder, scenario + ".alloc.txt");
        await File.WriteAllLinesAsync(report, Summarize(trace, duration));
        Console.WriteLine($"   GGnet's allocations by its own code, {duration.TotalSeconds:0} s: {report}");
    }

    /// <summary>The sampled bytes by the first GGnet method on their stack (or the first frames, when none is GGnet's).</summary>
    public static IEnumerable<string> Summarize(string trace, TimeSpan duration)
    {
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(trace));
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var sample in log.Events.ByEventType<GCAllocationTickTraceData>())
        {
            total += sample.AllocationAmount64;
            var key = Asker(sample.CallStack());
            bytes[key] = bytes.GetValueOrDefault(key) + sample.AllocationAmount64;
        }
        yield return $"{total / 1e6:0.0} MB sampled in {duration.TotalSeconds:0} s ({total / 1e6 / duration.TotalSeconds:0.00} MB a second), by the first GGnet method on the stack:";
        foreach (var (asker, sampled) in bytes.OrderByDescending(b => b.Value).Take(Shown))
        {
            yield return $"{sampled / 1e6,8:0.00} MB  {asker}";
        }
    }

    private static string Asker(TraceCallStack? stack)
    {
        var first = new List<string>();
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            var name = frame.CodeAddress.FullMethodName;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }
            if (name.StartsWith("GGnet.", StringComparison.Ordinal))
            {
                return name.Length > 200 ? name[..200] : name;
            }
            if (first.Count < 3)
            {
                first.Add(name.Length > 80 ? name[..80] : name);
            }
        }
        return "(no GGnet frame) " + string.Join(" < ", first);
    }
}
