using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Sessions;

/// <summary>
/// A session's stop, with every part in memory: the PC's script first (a reboot no longer attaches), then the target,
/// then the disk; a bulk stop's sessions together, one failing handed over without holding up the others.
/// </summary>
public sealed class TeardownSessionTests
{
    private readonly InMemorySessionWorld _world = new();

    [Fact]
    public async Task AReadySessionsStop_RemovesItsScriptThenItsTargetThenItsDisk_AndEndsStopped()
    {
        var session = await ReadySessionAsync(17);
        await _world.StopAsync(session);
        _world.Parts.Log.Clear();

        await _world.Teardown().ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal([
            "script machines/52-54-00-00-00-17.ipxe without a disk",
            "delete target iqn.2024-01.net.ggnet:session.1",
            "delete /disks/session-1.img",
        ], _world.Parts.Log);
        Assert.Equal(SessionState.Stopped, (await _world.Sessions.FindAsync(session.Id, CancellationToken.None))!.State);
        Assert.Empty(_world.Parts.Targets);
        Assert.Empty(_world.Parts.Disks);
    }

    [Fact]
    public async Task ABulkStop_WhoseOneTeardownFails_StopsTheOthers_AndHandsTheFailingOneOverWithItsReason()
    {
        var sessions = new List<Session>();
        for (var pc = 1; pc <= 10; pc++)
        {
            sessions.Add(await ReadySessionAsync(pc));
        }
        foreach (var session in sessions)
        {
            await _world.StopAsync(session);
        }
        _world.Parts.FailAt = "delete target";
        _world.Parts.FailOnlyFor = "session.3";
        var failures = new List<(int Session, string Why)>();

        await _world.Teardown().ExecuteManyAsync([.. sessions.Select(s => s.Id)], (id, problem) => { lock (failures) { failures.Add((id, problem.Message)); } },
            CancellationToken.None);

        Assert.Equal([(3, "delete target broke on purpose")], failures);
        Assert.Equal([.. Enumerable.Repeat(SessionState.Stopped, 2), SessionState.Stopping, .. Enumerable.Repeat(SessionState.Stopped, 7)],
            sessions.Select(s => s.State));
        Assert.Equal(["iqn.2024-01.net.ggnet:session.3"], _world.Parts.Targets.Select(t => t.ToString()));
    }

    [Fact]
    public async Task ABulkStop_OfAPcStillRunningItsSession_SeesItOffline_AndLeavesAnIdlePcIdle()
    {
        var running = await ReadySessionAsync(1);
        var idle = await ReadySessionAsync(2);
        var runningPc = (await _world.Machines.FindAsync(running.MachineId, CancellationToken.None))!;
        var idlePc = (await _world.Machines.FindAsync(idle.MachineId, CancellationToken.None))!;
        runningPc.ObserveBootStage(BootStage.Online, DateTime.UtcNow);
        await _world.StopAsync(running);
        await _world.StopAsync(idle);

        await _world.Teardown().ExecuteManyAsync([running.Id, idle.Id], null, CancellationToken.None);

        Assert.Equal([SessionState.Stopped, SessionState.Stopped], new[] { running.State, idle.State });
        Assert.Equal(BootStage.Offline, runningPc.BootStage);
        Assert.Equal(BootStage.Idle, idlePc.BootStage);
    }

    [Fact]
    public async Task ASessionNotStopping_IsLeftAsItIs()
    {
        var session = await ReadySessionAsync(17);
        _world.Parts.Log.Clear();

        await _world.Teardown().ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal(SessionState.Ready, session.State);
        Assert.Empty(_world.Parts.Log);
    }

    [Fact]
    public async Task AStopWhosePcStaysHeldByItsStart_NamesThePc_AndSaysGGnetTriesAgain_AndRemovesNothing()
    {
        var session = await ReadySessionAsync(17);
        await _world.StopAsync(session);
        _world.Parts.Log.Clear();

        var problem = await Assert.ThrowsAsync<TimeoutException>(() => _world.Teardown(new HeldClusterLocks()).ExecuteAsync(session.Id, CancellationToken.None));

        Assert.Equal(
            $"The stop of pc-17's session {session.Id} waited 10 minutes for the PC's start to finish; GGnet tries the stop again. " +
            "If it stays Stopping, look for a start of this PC that does not end (Jobs).", problem.Message);
        Assert.Equal(SessionState.Stopping, session.State);
        Assert.Empty(_world.Parts.Log);
    }

    private async Task<Session> ReadySessionAsync(int pc)
    {
        var session = await _world.PendingSessionAsync(pc);
        await _world.Provision.ExecuteAsync(session.Id, CancellationToken.None);
        Assert.Equal(SessionState.Ready, session.State);
        return session;
    }
}
