using GGnet.Core.Bulk;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Schedules;
using GGnet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Schedules;

public sealed class BootWaveTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryMachineRepository _machines = new();
    private readonly RecordingWakeOnLan _wol = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemorySchedules _jobs = new();
    private readonly WakeBootWave _wave;

    public BootWaveTests()
    {
        _wave = new WakeBootWave(new WakeMachines(_machines, new InMemoryMachineGroupRepository(_machines), _wol, _audit, _clock), _machines, _jobs, _jobs, _audit, _clock);
        _jobs.AddAsync(ScheduleWithWaves(1, 30), _ => null!, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public void APlan_CutsTheGroupInWavesOfItsSize_InTheOrderGiven_AndSaysWhenEachWakes()
    {
        var pcs = Enumerable.Range(1, 5).Select(i => BootSamples.Machine(i, $"pc-0{i}", $"52:54:00:00:00:0{i}")).ToList();
        var plan = BootWavePlan.For(ScheduleWithWaves(2, 30), pcs, "schedule:1");

        Assert.Equal([[1, 2], [3, 4], [5]], plan.Waves);
        Assert.Equal(2, plan.WaveOf(5));
        Assert.Equal("wave 1 of 3, woken now", plan.Sentence(0));
        Assert.Equal("wave 3 of 3, woken 30 s after wave 2", plan.Sentence(2));
        Assert.Equal("wave 2 of 3, woken once wave 1 is online (at most 5 min)", BootWavePlan.For(ScheduleWithWaves(2, null), pcs, "s").Sentence(1));
    }

    [Fact]
    public async Task AWave_SpacedBySeconds_WakesItsPcs_AndHandsTheNextWaveToAJobThatManySecondsLater()
    {
        var (first, second) = await TwoPcsAsync();

        var woken = await _wave.ExecuteAsync(PlanOf(first, second, 30), 0, _clock.GetUtcNow().UtcDateTime, CancellationToken.None);

        Assert.Equal([first.MacAddress], _wol.Woken);
        Assert.True(Assert.Single(woken).Done);
        var later = Assert.Single(_jobs.LaterWaves);
        Assert.Equal((1, TimeSpan.FromSeconds(30)), (later.Wave, later.Delay));
        Assert.Contains(_audit.Events, e => e.Action == "schedule.wave" && e.After == "wave=1/2 woken=1 refused=0");
    }

    [Fact]
    public async Task AWave_PacedByOnline_WaitsWhileTheLastWaveIsNotOnline_ThenWakes()
    {
        var (first, second) = await TwoPcsAsync();
        var plan = PlanOf(first, second, null);
        var lastWoken = _clock.GetUtcNow().UtcDateTime;

        await _wave.ExecuteAsync(plan, 1, lastWoken, CancellationToken.None);
        var waited = _jobs.LaterWaves.ToList();
        first.ObserveBootStage(BootStage.Online, _clock.GetUtcNow().UtcDateTime);
        await _wave.ExecuteAsync(plan, 1, lastWoken, CancellationToken.None);

        Assert.Equal([(1, BootWavesLimits.OnlinePoll)], waited.Select(w => (w.Wave, w.Delay)));
        Assert.Equal([second.MacAddress], _wol.Woken);
        Assert.Single(_jobs.LaterWaves);
    }

    [Fact]
    public async Task AWave_PacedByOnline_WakesAnywayAfterTheLongestWait_SoOnePcThatNeverBootsHoldsNobodyBack()
    {
        var (first, second) = await TwoPcsAsync();
        var lastWoken = _clock.GetUtcNow().UtcDateTime;
        _clock.Advance(BootWavesLimits.MaxWaitForOnline);

        await _wave.ExecuteAsync(PlanOf(first, second, null), 1, lastWoken, CancellationToken.None);

        Assert.Equal(BootStage.Idle, first.BootStage);
        Assert.Equal([second.MacAddress], _wol.Woken);
    }

    [Fact]
    public async Task AWaveOfADeletedSchedule_WakesNobody_AndEndsTheRun()
    {
        var (first, second) = await TwoPcsAsync();
        await _jobs.DeleteAsync((await _jobs.FindAsync(1, CancellationToken.None))!, null!, CancellationToken.None);

        var woken = await _wave.ExecuteAsync(PlanOf(first, second, 30), 1, _clock.GetUtcNow().UtcDateTime, CancellationToken.None);

        Assert.Empty(woken);
        Assert.Empty(_wol.Woken);
        Assert.Empty(_jobs.LaterWaves);
    }

    [Fact]
    public void AMachineThatJoinedAfterThePlan_IsInNoWave()
    {
        var plan = BootWavePlan.For(ScheduleWithWaves(2, 30), [BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01")], "schedule:1");

        Assert.Equal(0, plan.WaveOf(1));
        Assert.Null(plan.WaveOf(2));
    }

    private async Task<(Machine First, Machine Second)> TwoPcsAsync()
    {
        var first = BootSamples.Machine(0, "pc-01", "52:54:00:00:00:01");
        var second = BootSamples.Machine(0, "pc-02", "52:54:00:00:00:02");
        await _machines.AddAsync(first, CancellationToken.None);
        await _machines.AddAsync(second, CancellationToken.None);
        return (first, second);
    }

    private static BootWavePlan PlanOf(Machine first, Machine second, int? seconds) => new(1, "schedule:1", [[first.Id], [second.Id]], seconds);

    private static Schedule ScheduleWithWaves(int size, int? seconds)
    {
        var schedule = new Schedule(1, new TimeOnly(9, 0), ScheduleDays.Every, ScheduleAction.Wake, null, DateTime.UtcNow);
        schedule.PaceWaves(size, seconds);
        return schedule;
    }
}
