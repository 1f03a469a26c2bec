namespace GGnet.Bench;

/// <summary>
/// What GGnet costs while nothing happens, most of a café's day: its CPU over the first minute after start (the lab up,
/// no machine, no page open) and over the minute after that, in <see cref="Rounds"/> starts of their own; the median
/// and the spread of the rounds, since a single minute here moves by a third from run to run.
/// </summary>
public sealed class IdleScenario(string appDirectory) : IScenario
{
    private const int Rounds = 3;
    private const int IdleSeconds = 60;

    public string Name => "idle";

    public async Task<ScenarioResult> RunAsync(string machine)
    {
        await using var volume = await ReflinkVolume.CreateAsync(goldenMiB: 16);
        var first = new List<double>();
        var second = new List<double>();
        var startUp = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            await using var app = new BenchApp(appDirectory, volume.StorageSettings);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await app.StartAsync();
            startUp.Add(clock.Elapsed.TotalSeconds);
            using var api = await app.AdminClientAsync();
            await BenchApi.WaitForLabAsync(api);
            await Task.Delay(TimeSpan.FromSeconds(5));
            var atStart = app.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(IdleSeconds));
            var afterFirst = app.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(IdleSeconds));
            first.Add(100 * (afterFirst - atStart) / IdleSeconds);
            second.Add(100 * (app.CpuSeconds() - afterFirst) / IdleSeconds);
        }
        var measures = new List<Measure>
        {
            Measure.OfRounds("GGnet's CPU while idle, the first minute after start (lab up)", first, "% of a core", "0.0#", goal: 1),
            Measure.OfRounds("GGnet's CPU while idle, the minute after that", second, "% of a core", "0.0#", goal: 1),
            Measure.OfRounds("Start-up: the process started → GGnet answers", startUp, "s", "0.0#"),
        };
        var notes = new List<string>
        {
            $"Each of the {Rounds} rounds starts GGnet afresh (its own data, its own lab namespace), waits for the lab to be up and 5 s more, then " +
            "reads GGnet's CPU time (user and system, from /proc) at the start and the end of each minute. Every figure is the median of the rounds, " +
            "their spread after it.",
            "**Where an idle minute goes.** The idle figure is GGnet's CPU over 60 s, from 5 s after the lab is up; the minute after that is the " +
            "idle of the rest of a café's day. About a third of the first minute goes to .NET recompiling what passed its 1000th call (over half " +
            "of those methods the SQLite job store's library, sqlite-net, and the reflection and expression trees it runs on each query), a " +
            "seventh to GGnet's periodic checks and an eighth to Hangfire's polls and the minute's reconcile job; the minute after that goes to " +
            "the same checks (the boot observer, every 2 s, the most) and polls, and to what is still recompiled.",
            "**What GGnet does about it.** It recompiles a method after its 1000th call, not .NET's 30th " +
            "(`System.Runtime.TieredCompilation.CallCountThreshold`: what is hot under load gets there within a second), counts boot requests in " +
            "one-minute windows without a timer (`BootRequestLimits`), takes its database contexts from EF Core's pool (`GGnetDbContextFactory`) " +
            "and has the canary watch and the space sampler make their first pass as it starts. Hangfire's job server looks for due jobs every " +
            "5 s, a timer queuing GGnet's delayed jobs the moment they are due (`PromptDelayedJobs`); its workers poll every 15 s, and the " +
            "webhook workers' scheduler, a spare, once a minute.",
            "**Tried and not kept, for the idle minutes:**\n" +
            "- ahead-of-time code (ReadyToRun) with tiered compilation off: a quieter first minute, a quicker start-up, but boot scripts at half " +
            "the rate;\n" +
            "- tiered compilation off alone: a slower boot-script rate, a start-up 2 s longer;\n" +
            "- ReadyToRun with recompiling on: about the same minute, 10–20 MB more resident;\n" +
            "- no quick first compile (`TC_QuickJit=0`): about the same minute, a start-up of 8–11 s;\n" +
            "- the job server looking for due jobs every 15 s, not 5 s: within the spread;\n" +
            "- recompiling after the 10,000th call: a quieter first minute, but a storm after the first ran more of its code unoptimized and " +
            "took longer.\n\n" +
            "What was tried, run by run: docs/benchmark-history.md.",
        };
        return new ScenarioResult(Name, "An idle GGnet: CPU while nothing happens",
            "GGnet published (Release) in lab mode on SQLite, its session disks and images on a 4 GiB XFS (reflink=1) loop mount; no machine, no page open.",
            DateTime.UtcNow, machine, measures, notes);
    }
}
