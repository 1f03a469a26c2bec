using System.Diagnostics;
using System.Net.Http.Json;

namespace GGnet.Bench;

/// <summary>
/// Session start and stop on tgt with reflink disks on a loop-mounted XFS, one after the other: from the API call to
/// Ready (and to Stopped), and GGnet's provisioning (and teardown) work on its own as Hangfire timed the job; against
/// the same work done by hand in the same run (<see cref="RawTgt"/>). Then the same starts with 1, 100, 500 and 1000
/// targets already there, made by bulk starts through the API.
/// </summary>
public sealed class SessionScenario(string appDirectory) : IScenario
{
    private const int Sessions = 40;
    private const int ImageMiB = 64;
    private const int StartsPerLevel = 24;
    private const int HallSeconds = 60;
    private static readonly int[] Levels = [1, 100, 500, 1000];

    // Hangfire records a job's duration in whole milliseconds, and the work is a few of them.
    private static readonly string WorkStatistic = $"mean of the middle half of {StartsPerLevel}";

    public string Name => "sessions";

    public async Task<ScenarioResult> RunAsync(string machine)
    {
        await using var volume = await ReflinkVolume.CreateAsync(ImageMiB);
        var measures = new List<Measure>();
        var notes = new List<string>();
        await using (var app = new BenchApp(appDirectory, volume.StorageSettings))
        {
            await app.StartAsync();
            using var api = await app.AdminClientAsync();
            await BenchApi.WaitForLabAsync(api);
            var imageId = await BenchApi.ImportImageAsync(api, "bench-golden", ReflinkVolume.GoldenName);
            var measured = await BenchApi.ImportMachinesAsync(api, "sess", Sessions, 0xd2);
            var fillers = await BenchApi.ImportMachinesAsync(api, "fill", Levels[^1], 0xd3);

            var (start, stop, ids) = await StartStopAsync(api, measured, imageId);
            var jobs = await JobRecords.ReadAsync(app.DataDirectory);
            var provision = Work(jobs, "ProvisionAsync", ids);
            var teardown = Work(jobs, "TeardownAsync", ids);
            var pickUp = jobs.Where(j => j.Method == "ProvisionAsync" && ids.Contains(j.SessionId)).Select(j => j.LatencyMs).ToList();

            await using var raw = await RawTgt.StartAsync(Path.Combine(volume.Mount, "raw"));
            var create = new List<double>();
            var delete = new List<double>();
            for (var tid = 1; tid <= Sessions; tid++)
            {
                create.Add(await raw.CreateAsync(volume.GoldenPath, tid));
                delete.Add(await raw.DeleteAsync(tid));
            }

            measures.Add(new Measure("Start → Ready (API call to Ready), p50", Percentiles.Of(start, 50), "ms"));
            measures.Add(new Measure("Start → Ready, p95", Percentiles.Of(start, 95), "ms", Goal: 300));
            measures.Add(new Measure("Job pick-up (queued → a worker starts it), p50", Percentiles.Of(pickUp, 50), "ms"));
            measures.Add(new Measure("Job pick-up, p95", Percentiles.Of(pickUp, 95), "ms"));
            measures.Add(new Measure("Provisioning work (the job: clone, target, script, Ready saved), p50", Percentiles.Of(provision, 50), "ms"));
            measures.Add(new Measure("Provisioning work, p95", Percentiles.Of(provision, 95), "ms"));
            measures.Add(new Measure("Stop → Stopped, p50", Percentiles.Of(stop, 50), "ms"));
            measures.Add(new Measure("Stop → Stopped, p95", Percentiles.Of(stop, 95), "ms"));
            measures.Add(new Measure("Teardown work (the job), p50", Percentiles.Of(teardown, 50), "ms"));
            measures.Add(new Measure("Raw: reflink copy + tgtadm target, LUN, ACL, p50 (floor)", Percentiles.Of(create, 50), "ms"));
            measures.Add(new Measure("Raw: tgtadm delete + rm, p50 (floor)", Percentiles.Of(delete, 50), "ms"));
            measures.Add(new Measure("Provisioning work against the raw commands, p50 ratio", Percentiles.Of(provision, 50) / Percentiles.Of(create, 50), "×", Goal: 1.5));
            measures.Add(new Measure("Teardown work against the raw commands, p50 ratio", Percentiles.Of(teardown, 50) / Percentiles.Of(delete, 50), "×"));
            measures.Add(new Measure("Start → Ready (whole path) against the raw commands, p50 ratio", Percentiles.Of(start, 50) / Percentiles.Of(create, 50), "×"));

            await LevelsAsync(app, api, measured, fillers, imageId, measures);
        }
        notes.Add($"{Sessions} sessions started and stopped one after the other on a {ImageMiB} MiB image (reflink clones on XFS, `Storage:CloneStrategy` Reflink), " +
            "each timed from the API call until the session reads Ready (polled every 5 ms), then from the stop call until it reads Stopped. " +
            "The job's pick-up and its work are Hangfire's own figures for each job (its `Latency` and `PerformanceDuration`, read from GGnet's job store): " +
            "the work is GGnet's provisioning on its own — claim the session, read machine and image, reflink clone, tgt target with LUN, CHAP account and ACL (requests on tgtd's management socket, no process), " +
            "the PC's TFTP script, save Ready with its audit event, ask for a DHCP sync. The raw floor is only the clone and the three tgtadm calls, each a process, " +
            "in the same run on a tgtd of the benchmark's own.");
        var ratio = measures.Single(m => m.Name.StartsWith("Provisioning work against", StringComparison.Ordinal));
        var pickUp50 = measures.Single(m => m.Name.StartsWith("Job pick-up (", StringComparison.Ordinal)).Value;
        notes.Add($"**Job pick-up, profiled and fixed.** The SQLite job store has no wake-up on enqueue of its own: a worker finds a new job on its next poll. " +
            "At a 200 ms poll a start waited ~100 ms for a worker (p50 154 ms API → Ready); at 25 ms GGnet idle took 9–10% of a core. Now a job this " +
            "process puts in a queue (created, retried, or enqueued by the scheduler) wakes the waiting workers once its transaction is committed " +
            "(`WakingJobStorage`: the store's own connection, whose wait for a job also ends on a wake), " +
            $"and the poll, 15 s, is only a backstop. Hangfire's own record of each job gives the wait: {pickUp50:0} ms (p50). " +
            "What GGnet costs while nothing happens is measured on its own: see *An idle GGnet* (docs/benchmarks.md).");
        notes.Add($"**Provisioning work against the raw commands: {(ratio.Met == true ? "met" : "missed")} ({ratio.Value:0.0#}×).** " +
            "GGnet speaks tgtd's management protocol on its socket itself (docs/decisions/0010), and makes a reflink clone with one FICLONE call " +
            "instead of a cp process: the six requests of a target with CHAP cost less " +
            "than one tgtadm process each, and no CHAP secret is on a command line. With a tgtadm process per request the work was over twice its " +
            "floor, nearly half of it the tgtadm calls. What was tried, run by run: docs/benchmark-history.md.");
        notes.Add("**Existing targets, profiled and fixed.** Before, every create listed all targets first (`tgtadm --op show`: 17 ms and 217 KB at 200 targets, " +
            "52 ms and 1.1 MB at 1000, measured with a shell loop on this machine) and held every other create back meanwhile; and the lab's own tgtd stopped answering " +
            "at about 470 targets (each tgtadm call timed out after 60 s): its main thread was blocked writing to its stderr pipe (`/proc/PID/stack`: `anon_pipe_write`), " +
            "which GGnet never read, filled by a line per LUN. GGnet now reads tgtd's output and keeps the next target id in memory (one listing at the first create; " +
            "tgt refusing an id taken meanwhile makes it list again).");
        notes.Add($"Existing targets: sessions on {Levels[^1]} more machines were started by bulk starts through the API (`/api/v1/sessions/start-many`) up to each level, " +
            $"and at each level {StartsPerLevel} sessions were started and stopped one after the other as above; the goal holds the provisioning work at " +
            $"{Levels[^1]} targets to at most 1.2× of that at {Levels[0]}.");
        if (measures.FirstOrDefault(m => m.Name.StartsWith($"Provisioning work at {Levels[^1]} targets", StringComparison.Ordinal)) is { } flat)
        {
            var first = measures.Single(m => m.Name == $"{Levels[0]} targets there: provisioning work, {WorkStatistic}").Value;
            var last = measures.Single(m => m.Name == $"{Levels[^1]} targets there: provisioning work, {WorkStatistic}").Value;
            notes.Add($"**Flat to {Levels[^1]} targets: {(flat.Met == true ? "met" : "missed")} ({flat.Value:0.0#}×).** " +
                $"{first:0.0} ms at {Levels[0]} target, {last:0.0} ms " +
                $"at {Levels[^1]}. What grows is tgtd's: it numbers a new CHAP account by looking each number up in its list of accounts " +
                "(`account_add`, about N²/2 steps with N accounts), and a target's delete walks its target list once for each target " +
                "(`isns_target_deregister`). Every session has a CHAP account of its own (docs/decisions/0009) and tgt can't give one a new secret, " +
                "so GGnet can't keep fewer. GGnet's own steps stay flat; its tgtd serves each disk with 4 I/O threads (`tgtd -t 4`), not tgt's 16, " +
                "which took about 5 ms of each start. The work is a few milliseconds, so the ratio moves from run to run: each level takes " +
                $"{StartsPerLevel} starts and the mean of their middle half. What was tried, run by run: docs/benchmark-history.md.");
        }
        if (measures.FirstOrDefault(m => m.Name.StartsWith($"GGnet's CPU with {Levels[^1]} sessions running", StringComparison.Ordinal)) is { } hall)
        {
            var tgtd = measures.Single(m => m.Name == "… its tgtd's CPU meanwhile").Value;
            notes.Add($"**A full hall, nothing happening.** With {Levels[^1]} sessions running and nothing changing GGnet takes {hall.Value:0.0#}% of a " +
                $"core and its tgtd {tgtd:0.0#}%, over a minute, which holds one of the reconcile passes that run each minute. That is GGnet's " +
                "periodic work: the boot observer, the reconcile pass and the boot files' check it asks for, the space sampler, Hangfire. The observer " +
                "reads only the sessions that may be on their way up between its looks at the whole hall (every 10 s), and asks tgtd for its target " +
                "listing (at 1000 targets, 17 ms of the thread that moves every PC's disk traffic) only when the PCs' connections to tgtd changed " +
                "(docs/decisions/0017). The reconcile pass takes no machine's lock for a session whose disks are served, nor reads it again. " +
                "What was tried, run by run: docs/benchmark-history.md.");
        }
        return new ScenarioResult(Name, "Sessions: start and stop against the raw commands",
            "GGnet published (Release) in lab mode on SQLite, its session disks and images on a 4 GiB XFS (reflink=1) loop mount.",
            DateTime.UtcNow, machine, measures, notes);
    }

    private static List<double> Work(IReadOnlyList<JobRecords.Job> jobs, string method, HashSet<int> sessions) =>
        jobs.Where(j => j.Method == method && sessions.Contains(j.SessionId)).Select(j => j.DurationMs).ToList();

    // Each machine: start, wait for Ready, stop, wait for Stopped; the API-side times and the session ids.
    private static async Task<(List<double> Start, List<double> Stop, HashSet<int> Ids)> StartStopAsync(HttpClient api, IEnumerable<int> machines, int imageId)
    {
        var start = new List<double>();
        var stop = new List<double>();
        var ids = new HashSet<int>();
        foreach (var machineId in machines)
        {
            var clock = Stopwatch.StartNew();
            var started = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
            started.EnsureSuccessStatusCode();
            var sessionId = (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
            await BenchApi.WaitAsync(api, $"/api/v1/sessions/{sessionId}", s => s.GetProperty("state").GetString() == "ready", TimeSpan.FromSeconds(30), pollMs: 5);
            start.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            (await api.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
            await BenchApi.WaitAsync(api, $"/api/v1/sessions/{sessionId}", s => s.GetProperty("state").GetString() == "stopped", TimeSpan.FromSeconds(30), pollMs: 5);
            stop.Add(clock.Elapsed.TotalMilliseconds);
            ids.Add(sessionId);
        }
        return (start, stop, ids);
    }

    // A café's day: every PC's session running and nothing changing; what GGnet and its tgtd spend watching them.
    private static async Task RunningHallAsync(BenchApp app, int sessions, List<Measure> measures)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (ggnet, tgtd) = (app.CpuSeconds(), app.TgtdCpuSeconds());
        await Task.Delay(TimeSpan.FromSeconds(HallSeconds));
        measures.Add(new Measure($"GGnet's CPU with {sessions} sessions running, nothing changing ({HallSeconds} s)", 100 * (app.CpuSeconds() - ggnet) / HallSeconds, "% of a core"));
        measures.Add(new Measure("… its tgtd's CPU meanwhile", 100 * (app.TgtdCpuSeconds() - tgtd) / HallSeconds, "% of a core"));
    }

    // Fills tgt up to each level with bulk starts, then times a few starts there.
    private static async Task LevelsAsync(BenchApp app, HttpClient api, List<int> measured, List<int> fillers, int imageId, List<Measure> measures)
    {
        var running = 0;
        var first = 0.0;
        foreach (var level in Levels)
        {
            var clock = Stopwatch.StartNew();
            await BenchApi.StartManyAsync(api, fillers.Skip(running).Take(level - running), imageId);
            await BenchApi.WaitForSessionsAsync(api, "ready", level, TimeSpan.FromMinutes(4));
            Console.WriteLine($"   ({level - running} more sessions Ready in {clock.Elapsed.TotalSeconds:0.0} s)");
            running = level;

            var (start, _, ids) = await StartStopAsync(api, measured.Take(StartsPerLevel), imageId);
            var work = Work(await JobRecords.ReadAsync(app.DataDirectory), "ProvisionAsync", ids);
            var typical = Percentiles.MiddleMean(work);
            measures.Add(new Measure($"{level} targets there: Start → Ready, p50 of {StartsPerLevel}", Percentiles.Of(start, 50), "ms"));
            measures.Add(new Measure($"{level} targets there: provisioning work, {WorkStatistic}", typical, "ms"));
            if (level == Levels[0])
            {
                first = typical;
            }
            else if (level == Levels[^1])
            {
                measures.Add(new Measure($"Provisioning work at {level} targets against {Levels[0]}", typical / first, "×", Goal: 1.2));
                await RunningHallAsync(app, level, measures);
            }
        }
    }
}
