using System.Diagnostics;
using System.Net.Http.Json;

namespace GGnet.Bench;

/// <summary>
/// Opening time: 200 sessions started by one API call, how long until all are Ready and, after one stop call, all
/// Stopped; against the raw tools making and removing 200 targets 8 at a time in the same run. The first storm after start
/// in three GGnet processes started afresh, then three more storms in the last of them. Then 20 emulated QEMU PCs
/// booting through the real chain (DHCP, TFTP, iPXE, the HTTP script, iSCSI) until GGnet shows all of them Online.
/// </summary>
public sealed class StormScenario(string appDirectory) : IScenario
{
    private const int Machines = 200;
    private const int VirtualPcs = 20;
    private const int RawParallel = 8;
    // The sessions GGnet's bulk start and stop work at once, as the notes name them.
    private const int AtOnce = GGnet.Core.Sessions.ProvisionSession.AtOnce;
    private const int TornDownAtOnce = GGnet.Core.Sessions.TeardownSession.AtOnce;
    private const int NextStorms = 3;
    private const int FirstStorms = 3;

    public string Name => "storm";

    public async Task<ScenarioResult> RunAsync(string machine)
    {
        await using var volume = await ReflinkVolume.CreateAsync(goldenMiB: 64);
        var measures = new List<Measure>();
        var emulated = !File.Exists("/dev/kvm");
        string? pcsLate = null;
        // Each storm is followed by the raw tools' floor, on a tgtd of the benchmark's own, so that a storm and its floor see
        // the machine alike; a floor runs once GGnet has finished what the storm before it left.
        await using var raw = await RawTgt.StartAsync(Path.Combine(volume.Mount, "raw"));
        async Task<(double Create, double Delete)> FloorAsync() =>
            (await raw.CreateManyAsync(volume.GoldenPath, Machines, RawParallel), await raw.DeleteManyAsync(Machines, RawParallel));

        // The first storm after GGnet started, in GGnet processes started afresh: .NET compiles the code a storm runs while it
        // runs the first. The last of them goes on with the next storms, in rounds, and the PCs.
        var firsts = new List<FirstStorm>();
        for (var start = 1; start < FirstStorms; start++)
        {
            await using var fresh = await StartFreshAsync(volume, start);
            firsts.Add(await FirstStormAsync(fresh, FloorAsync));
        }
        await using (var last = await StartFreshAsync(volume, FirstStorms))
        {
            var (app, api, imageId, machines) = last;
            firsts.Add(await FirstStormAsync(last, FloorAsync));
            var next = new List<(HashSet<int> Sessions, double Answered, double Ready, double StopAnswered, double Stopped, double RawCreate, double RawDelete)>();
            double cpuStorm = 0, tgtdStorm = 0;
            for (var round = 2; round < 2 + NextStorms; round++)
            {
                // What GGnet and its tgtd spend of the 2 cores in the second storm: which of them a storm waits for.
                var (cpuBefore, tgtdBefore) = (app.CpuSeconds(), app.TgtdCpuSeconds());
                var (sessionsAgain, answeredAgain, readyAgain, stopAnsweredAgain, stoppedAgain, _) = await StormAsync(app, api, machines, imageId, round);
                if (round == 2)
                {
                    (cpuStorm, tgtdStorm) = (app.CpuSeconds() - cpuBefore, app.TgtdCpuSeconds() - tgtdBefore);
                }
                await app.WaitUntilQuietAsync();
                var (create, delete) = await FloorAsync();
                next.Add((sessionsAgain, answeredAgain, readyAgain, stopAnsweredAgain, stoppedAgain, create, delete));
            }

            var jobs = await JobRecords.ReadAsync(app.DataDirectory);
            var starts = $"the first storm after start, {FirstStorms} starts";
            measures.Add(Measure.OfRounds($"{Machines} starts in one API call: the call answered ({starts})", [.. firsts.Select(f => f.Answered)], "s", "0.00"));
            measures.Add(Measure.OfRounds($"{Machines} starts: API call → all Ready ({starts})", [.. firsts.Select(f => f.Ready)], "s", "0.00"));
            measures.Add(Measure.OfRounds($"{Machines} stops in one API call → all Stopped ({starts})", [.. firsts.Select(f => f.Stopped)], "s", "0.00"));
            measures.Add(Measure.OfRounds($"The next {Machines} starts → all Ready ({NextStorms} storms)", [.. next.Select(n => n.Ready)], "s", "0.00"));
            measures.Add(Measure.OfRounds($"The next {Machines} stops → all Stopped ({NextStorms} storms)", [.. next.Select(n => n.Stopped)], "s", "0.00"));
            measures.Add(Measure.OfRounds("The first storm, its starts and stops: GGnet's CPU", [.. firsts.Select(f => f.Cpu)], "s", "0.00"));
            measures.Add(Measure.OfRounds("… then until GGnet was quiet (under 4% of a core): its CPU", [.. firsts.Select(f => f.CpuSettling)], "s", "0.00"));
            measures.Add(new Measure("The second storm, its starts and stops: GGnet's CPU", cpuStorm, "s"));
            measures.Add(new Measure("… its tgtd's CPU meanwhile", tgtdStorm, "s"));
            measures.Add(Measure.OfRounds($"Provisioning jobs for a bulk start of {Machines} (one, {AtOnce} sessions at a time)", [.. firsts.Select(f => (double)f.Jobs)], "", "0"));
            measures.Add(Measure.OfRounds("Its pick-up (queued → a worker starts it), the first storm", [.. firsts.Select(f => f.PickUpMs)], "ms", "0"));
            measures.Add(Measure.OfRounds("Its work (the job, all sessions), the first storm", [.. firsts.Select(f => f.Work)], "s", "0.00"));
            measures.Add(Measure.OfRounds("The next storms: the start-many call answered", [.. next.Select(n => n.Answered)], "s", "0.00"));
            measures.Add(Measure.OfRounds("The next storms: the stop-many call answered", [.. next.Select(n => n.StopAnswered)], "s", "0.00"));
            measures.Add(Measure.OfRounds("The next storms: their provisioning job's work", [.. next.Select(n => JobRecords.BulkStartsOf(jobs, n.Sessions).Sum(j => j.DurationMs) / 1000)], "s", "0.00"));
            measures.Add(Measure.OfRounds($"Raw: {Machines} reflink copies + tgtadm targets, {RawParallel} at a time (floor), after the first storm", [.. firsts.Select(f => f.RawCreate)], "s", "0.00"));
            measures.Add(Measure.OfRounds($"Raw: {Machines} tgtadm deletes + rm, {RawParallel} at a time (floor), after the first storm", [.. firsts.Select(f => f.RawDelete)], "s", "0.00"));
            measures.Add(Measure.OfRounds("Raw: the same copies and targets after each next storm", [.. next.Select(n => n.RawCreate)], "s", "0.00"));
            measures.Add(Measure.OfRounds("Raw: the same deletes after each next storm", [.. next.Select(n => n.RawDelete)], "s", "0.00"));
            measures.Add(new Measure("A process started and ended (/bin/true), p50 of 50: what each raw command pays first", ProcessStartMs(), "ms"));
            measures.Add(Measure.OfRounds("All Ready against the raw tools, the first storm after start", [.. firsts.Select(f => f.Ready / f.RawCreate)], "×", "0.00", goal: 1.3));
            measures.Add(Measure.OfRounds("All Stopped against the raw tools, the first storm after start", [.. firsts.Select(f => f.Stopped / f.RawDelete)], "×", "0.00", goal: 1.3));
            measures.Add(Measure.OfRounds("The next storms: all Ready against the raw tools", [.. next.Select(n => n.Ready / n.RawCreate)], "×", "0.00", goal: 1.3));
            measures.Add(Measure.OfRounds("The next storms: all Stopped against the raw tools", [.. next.Select(n => n.Stopped / n.RawDelete)], "×", "0.00", goal: 1.3));
            measures.Add(Measure.OfRounds($"GGnet memory with {Machines} Ready sessions", [.. firsts.Select(f => f.RssReady)], "MiB", "0"));
            // Profiling (GGNET_BENCH_PERF or GGNET_BENCH_TRACE): the same storm once more, after the measured one.
            await Profiler.TraceUnderLoadAsync(app.Pid, Name, () => StormAsync(app, api, machines, imageId, round: 2 + NextStorms));

            pcsLate = await VirtualPcsAsync(api, measures, emulated);
            measures.Add(new Measure("GGnet memory, peak during the run", app.PeakRssMiB(), "MiB"));
        }
        var notes = new List<string>
        {
            $"The storm: {Machines} machines, one `POST /api/v1/sessions/start-many` for all of them (each a session on a 64 MiB image, reflink clones on XFS, tgt), " +
            "timed until the API counts all of them Ready (polled every 20 ms); then one `stop-many` until all read Stopped. Each call makes one job, " +
            $"which works {AtOnce} sessions at a time. The raw floor runs the same clone and three tgtadm calls per disk, {RawParallel} disks at a time, on a tgtd of the " +
            $"benchmark's own, after each storm once GGnet is quiet again (under 4% of a core over half a second): the first storm after GGnet started, in " +
            $"{FirstStorms} GGnet processes started afresh one after the other (each with its own data, images and session disks), " +
            $"then {NextStorms} more storms in the last of them, each with its floor, so that a storm and its floor meet the machine alike (two floors ten minutes " +
            "apart, on the same day, took 0.49 and 0.92 s for the deletes). The figures of several storms are their median, the spread beside it; a " +
            "ratio is each storm's against its own floor.",
            $"The PCs: `POST /api/v1/lab/boot` with {VirtualPcs} (adds {VirtualPcs} virtual PCs, a session each on the demo image, powers them on), timed until all " +
            $"{VirtualPcs} sessions read Online, i.e. GGnet saw each PC's iSCSI login. Each PC is QEMU with 128 MiB and iPXE, " +
            (emulated ? "emulated (no KVM here), all on the same 2 cores as GGnet: the time is mostly the guests' firmware and iPXE running under emulation." : "with KVM."),
        };
        if (pcsLate is not null)
        {
            // Emulated PCs on 2 shared cores can take longer than the wait: the storm's figures above still stand.
            notes.Add($"**The PCs did not all come online in this run:** {pcsLate}");
        }
        double Value(string start) => measures.Single(m => m.Name.StartsWith(start, StringComparison.Ordinal)).Value;
        var allReady = measures.Single(m => m.Name == "All Ready against the raw tools, the first storm after start");
        var (readySeconds, call, rawReady, work) = (Value($"{Machines} starts: API call"), Value($"{Machines} starts in one API call"), Value($"Raw: {Machines} reflink copies"), Value("Its work"));
        var (rawStop, spawn) = (Value($"Raw: {Machines} tgtadm deletes"), Value("A process started"));
        notes.Add($"**All Ready within 1.3× of the raw tools, the first storm after start: {(allReady.Met == true ? "met" : "missed")} (the median " +
            $"of {FirstStorms} starts: {allReady.Value:0.00}×, {allReady.Note}; {readySeconds:0.00} s against {rawReady:0.00} s).** " +
            $"A bulk start is one transaction and one job (the API call: {call:0.00} s for all {Machines}); the job reads the sessions, their " +
            $"machines, versions and images once and works {AtOnce} sessions at a time (docs/decisions/0016), their claims and Ready saves gathered " +
            $"into shared commits (`GroupCommit`): {work:0.0} s of work for {Machines} sessions. " +
            $"The raw floor is mostly process starts (here a process takes {spawn:0.0} ms to start and end) and GGnet " +
            "starts none per session, so the ratio moves with the machine: GGnet's own times are the figures to compare from run to run.");
        var allStopped = measures.Single(m => m.Name == "All Stopped against the raw tools, the first storm after start");
        notes.Add($"**All Stopped within 1.3× of the raw tools, the first storm after start: {(allStopped.Met == true ? "met" : "missed")} (the median " +
            $"of {FirstStorms} starts: {allStopped.Value:0.00}×, {allStopped.Note}).** " +
            $"A bulk stop is one transaction and one job as well; the job tears its sessions down {TornDownAtOnce} at a time, each under its machine's lock " +
            $"(script, target, disk), and gathers their Stopped saves (with the PCs still running a session seen Offline) the same way; a worker " +
            "hands its save over with the machine's lock and takes the next session. " +
            $"The raw deletes need {rawStop:0.0} s.");
        var (nextReady, nextStopped) = (measures.Single(m => m.Name == "The next storms: all Ready against the raw tools"),
            measures.Single(m => m.Name == "The next storms: all Stopped against the raw tools"));
        notes.Add($"**The next storms, within 1.3× of the raw tools: all Ready {(nextReady.Met == true ? "met" : "missed")} ({nextReady.Value:0.00}×, {nextReady.Note}), " +
            $"all Stopped {(nextStopped.Met == true ? "met" : "missed")} ({nextStopped.Value:0.00}×, {nextStopped.Note}).** What a café's server does most days: " +
            "GGnet has run a storm before. Over a storm GGnet uses about a core (tgtd a fifth of that), and the profiles find no one cost to cut: " +
            "the gathered saves, the API requests, the boot scripts written, the requests on tgtd's socket; a stop's workers wait most in the " +
            $"kernel, on the scripts' rename and create. A bulk start and stop work {AtOnce} sessions at a time, so that more of " +
            "them wait at once; the scripts are not synced to disk (GGnet writes them again at start), and the stop-many call reads its machines " +
            "in one query and, on SQLite, moves its sessions in one statement a state.");
        notes.Add("**Tried and not kept, for the next storms:**\n" +
            "- 32 sessions at a time: no better than 16;\n" +
            "- reading the sessions again in gathered queries, as the saves are: slower (one reader at a time held the workers back);\n" +
            "- replacing the PC's script on another thread while its target and disk go: no gain.\n\n" +
            "What stays against the raw floor's one tgtadm and one rm a PC: a read under the PC's lock, its script replaced, two requests to tgtd " +
            "(the target, its CHAP account), the unlink and the save; and a spread of the stop storms that the profiles did not pin down. The raw " +
            "floor runs 8 at a time as a shell's `xargs -P 8` would; at 16 it was no faster. What was tried, run by run: docs/benchmark-history.md.");
        var (firstCpu, secondCpu) = (Value("The first storm, its starts"), Value("The second storm, its starts"));
        notes.Add($"**The first storm after start pays for compiling GGnet's code as it runs it**: {firstCpu:0.00} s of GGnet's CPU (the median of " +
            $"{FirstStorms} starts) against {secondCpu:0.00} s for the second, and some more once it is over (the code it ran most, recompiled " +
            "optimized; see *until GGnet was quiet*). In a profile of the first storm .NET's compiler takes a quarter of GGnet's samples and the " +
            "runtime (loading types, resolving calls) a fifth; EF Core compiles each query the first time it meets it into code that .NET compiles " +
            "once more. The code the storm runs most runs unoptimized until .NET has recompiled it, on the same two cores.");
        notes.Add("**Tried and not kept, for the first storm:**\n" +
            "- ahead-of-time code (ReadyToRun): no faster, and 10 MiB more resident;\n" +
            "- 10 or 16 thread-pool threads from the start: no faster;\n" +
            "- a storm of 8 sessions first, the best a warm-up at start could do: a fifth of the gap;\n" +
            "- recompiling after the 30th call, .NET's default: no faster, more CPU after the storm; not recompiling at all: more CPU in both storms;\n" +
            "- EF Core's compiled model (`dotnet ef dbcontext optimize`): with its accessors for NativeAOT, no less CPU and 18 MiB more after start; " +
            "without them, no change;\n" +
            "- counting calls from the start (`CallCountingDelayMs` 0): the recompiling moved into the storm, no faster for it.\n\n" +
            "What was tried, run by run: docs/benchmark-history.md.");
        return new ScenarioResult(Name, "Boot storm: 200 sessions at once, 20 PCs booting",
            "GGnet published (Release) in lab mode on SQLite, its session disks and images on a 4 GiB XFS (reflink=1) loop mount; lab PCs are QEMU guests in the lab's network namespace.",
            DateTime.UtcNow, machine, measures, notes);
    }

    /// <summary>A GGnet process started afresh, its lab up, the golden image imported and the storm's machines registered.</summary>
    private sealed record FreshGGnet(BenchApp App, HttpClient Api, int ImageId, List<int> Machines) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await App.DisposeAsync();
        }
    }

    // Each GGnet process with images and session disks of its own on the volume.
    private async Task<FreshGGnet> StartFreshAsync(ReflinkVolume volume, int start)
    {
        var app = new BenchApp(appDirectory, new Dictionary<string, string>(volume.StorageSettings)
        {
            ["Storage:DiskDirectory"] = Path.Combine(volume.Mount, $"ggnet-{start}", "disks"),
            ["Storage:ImageDirectory"] = Path.Combine(volume.Mount, $"ggnet-{start}", "images"),
            ["Lab:MaxVirtualPcs"] = VirtualPcs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        HttpClient? api = null;
        try
        {
            await app.StartAsync();
            api = await app.AdminClientAsync();
            await BenchApi.WaitForLabAsync(api);
            var imageId = await BenchApi.ImportImageAsync(api, "bench-golden", ReflinkVolume.GoldenName);
            return new FreshGGnet(app, api, imageId, await BenchApi.ImportMachinesAsync(api, "storm", Machines, 0xd4));
        }
        catch
        {
            api?.Dispose();
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first storm of a GGnet process, what it cost, what its job took, and its floor.</summary>
    private sealed record FirstStorm(double Answered, double Ready, double Stopped, double RssReady, double Cpu, double CpuSettling,
        int Jobs, double PickUpMs, double Work, double RawCreate, double RawDelete);

    private static async Task<FirstStorm> FirstStormAsync(FreshGGnet gg, Func<Task<(double Create, double Delete)>> floor)
    {
        var app = gg.App;
        await app.WaitUntilQuietAsync();
        var cpuStart = app.CpuSeconds();
        var (sessions, answered, ready, _, stopped, rssReady) = await StormAsync(app, gg.Api, gg.Machines, gg.ImageId, round: 1);
        var cpu = app.CpuSeconds() - cpuStart;
        var (_, cpuSettling) = await app.WaitUntilQuietAsync();
        var (rawCreate, rawDelete) = await floor();
        var batch = JobRecords.BulkStartsOf(await JobRecords.ReadAsync(app.DataDirectory), sessions);
        return new FirstStorm(answered, ready, stopped, rssReady, cpu, cpuSettling, batch.Count, batch.Max(j => j.LatencyMs), batch.Sum(j => j.DurationMs) / 1000,
            rawCreate, rawDelete);
    }

    // What starting a process costs on this machine: the raw floor pays it four times a session.
    private static double ProcessStartMs()
    {
        var times = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
            process.WaitForExit();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    // One start-many for all the machines until all are Ready, then one stop-many until all are Stopped (counting the
    // sessions earlier rounds stopped).
    private static async Task<(HashSet<int> Sessions, double Answered, double Ready, double StopAnswered, double Stopped, double RssReady)> StormAsync(
        BenchApp app, HttpClient api, IReadOnlyList<int> machines, int imageId, int round)
    {
        var clock = Stopwatch.StartNew();
        var sessions = (await BenchApi.StartManyAsync(api, machines, imageId)).ToHashSet();
        var answered = clock.Elapsed.TotalSeconds;
        await BenchApi.WaitForSessionsAsync(api, "ready", Machines, TimeSpan.FromSeconds(120));
        var ready = clock.Elapsed.TotalSeconds;
        var rssReady = app.RssMiB();
        clock.Restart();
        (await api.PostAsJsonAsync("/api/v1/sessions/stop-many", new { machineIds = machines })).EnsureSuccessStatusCode();
        var stopAnswered = clock.Elapsed.TotalSeconds;
        await BenchApi.WaitForSessionsAsync(api, "stopped", Machines * round, TimeSpan.FromSeconds(120));
        return (sessions, answered, ready, stopAnswered, clock.Elapsed.TotalSeconds, rssReady);
    }

    /// <summary>Boots the lab's PCs and times them until Online; returns why not, when they did not all come online in time.</summary>
    private static async Task<string?> VirtualPcsAsync(HttpClient api, List<Measure> measures, bool emulated)
    {
        var clock = Stopwatch.StartNew();
        var boot = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = VirtualPcs });
        if (!boot.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The lab did not boot {VirtualPcs} PCs: {await boot.Content.ReadAsStringAsync()}");
        }
        var poweredOn = clock.Elapsed.TotalSeconds;
        measures.Add(new Measure($"{VirtualPcs} PCs: the call answered (PCs added, sessions started, powered on)", poweredOn, "s"));
        try
        {
            await BenchApi.WaitForSessionsAsync(api, "online", VirtualPcs, TimeSpan.FromSeconds(240), pollMs: 200);
        }
        catch (TimeoutException late)
        {
            return late.Message;
        }
        measures.Add(new Measure($"{VirtualPcs} PCs{(emulated ? " (emulated)" : "")}: call → all Online", clock.Elapsed.TotalSeconds, "s"));
        return null;
    }
}
