using GGnet.Core.Domain.Sessions;
using GGnet.Core.Sessions;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Sessions;

/// <summary>
/// A session start's steps (clone, target, script, Ready) and their undo, with every part in memory: a step that fails
/// takes back the ones done before it, newest first, and the session ends Failed with a sentence naming the step.
/// </summary>
public sealed class ProvisionSessionTests
{
    private readonly InMemorySessionWorld _world = new();
    private readonly RecordingSessionParts _parts;
    private readonly RecordingStatusNotifier _notifier;
    private readonly InMemoryWebhooks _webhooks;
    private readonly InMemorySessions _sessions;
    private readonly ProvisionSession _provision;

    public ProvisionSessionTests()
    {
        (_parts, _notifier, _webhooks, _sessions, _provision) = (_world.Parts, _world.Notifier, _world.Webhooks, _world.Sessions, _world.Provision);
    }

    [Fact]
    public async Task EveryStepDone_TheSessionIsReady_AuditedWithItsTarget_AndNothingIsUndone()
    {
        var session = await PendingSessionAsync();

        await _provision.ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal(SessionState.Ready, session.State);
        Assert.Equal(["clone /disks/session-1.img", "target iqn.2024-01.net.ggnet:session.1", "script machines/52-54-00-00-00-17.ipxe with a disk"], _parts.Log);
        Assert.Contains(_sessions.Audit, a => a.Action == "session.ready" && a.After!.StartsWith("target=iqn.2024-01.net.ggnet:session.1 disk=/disks/session-1.img", StringComparison.Ordinal));
        Assert.Contains(session.MachineId, _notifier.MachinesChanged);
    }

    [Fact]
    public async Task TheTargetFailing_DeletesTheClone_AndTheSessionFailsSayingWhichStep()
    {
        var session = await PendingSessionAsync();
        _parts.FailAt = "target";

        await _provision.ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal(["clone /disks/session-1.img", "target iqn.2024-01.net.ggnet:session.1 failed", "delete /disks/session-1.img"], _parts.Log);
        Assert.Empty(_parts.Disks);
        Assert.Equal(SessionState.Failed, session.State);
        Assert.Equal("GGnet could not create the iSCSI target: target broke on purpose", session.FailureReason);
        Assert.Contains(_sessions.Audit, a => a.Action == "session.failed" && a.After == session.FailureReason);
    }

    [Fact]
    public async Task TheScriptFailing_TakesBackTheTargetThenTheDisk_NewestFirst()
    {
        var session = await PendingSessionAsync();
        _parts.FailAt = "script";

        await _provision.ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal([
            "clone /disks/session-1.img",
            "target iqn.2024-01.net.ggnet:session.1",
            "script machines/52-54-00-00-00-17.ipxe with a disk failed",
            "delete target iqn.2024-01.net.ggnet:session.1",
            "delete /disks/session-1.img",
        ], _parts.Log);
        Assert.Empty(_parts.Targets);
        Assert.Empty(_parts.Disks);
        Assert.StartsWith("GGnet could not write the machine's boot script: ", session.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStopSavedBeforeReady_WinsOverTheStart_WhichTakesBackWhatItMade_NewestFirst()
    {
        var session = await PendingSessionAsync();
        // The stop is saved while the target is being made: the Ready save finds the stored state moved on.
        _parts.WhileMakingTheTarget = () => _sessions.StoredStateChangedTo(session.Id, SessionState.Stopping);

        await _provision.ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal([
            "clone /disks/session-1.img",
            "target iqn.2024-01.net.ggnet:session.1",
            "script machines/52-54-00-00-00-17.ipxe with a disk",
            "script machines/52-54-00-00-00-17.ipxe without a disk",
            "delete target iqn.2024-01.net.ggnet:session.1",
            "delete /disks/session-1.img",
        ], _parts.Log);
        Assert.Empty(_parts.Targets);
        Assert.Empty(_parts.Disks);
        Assert.DoesNotContain(_sessions.Audit, a => a.Action == "session.ready");
        Assert.Empty(_webhooks.Deliveries);
        // The stop's own teardown (enqueued by the stop) finds nothing left.
        Assert.Empty(_sessions.TeardownsEnqueued);
    }

    [Fact]
    public async Task ABatch_MakesEachSessionReady_AndOneFailing_TakesBackOnlyItsOwnSteps()
    {
        var sessions = new List<Session>();
        for (var pc = 1; pc <= 5; pc++)
        {
            sessions.Add(await PendingSessionAsync(pc: pc));
        }
        _parts.FailAt = "target";
        _parts.FailOnlyFor = "session.3";

        await _provision.ExecuteManyAsync([.. sessions.Select(s => s.Id)], CancellationToken.None);

        Assert.Equal([SessionState.Ready, SessionState.Ready, SessionState.Failed, SessionState.Ready, SessionState.Ready], sessions.Select(s => s.State));
        Assert.Equal("GGnet could not create the iSCSI target: target broke on purpose", sessions[2].FailureReason);
        Assert.Equal(["/disks/session-1.img", "/disks/session-2.img", "/disks/session-4.img", "/disks/session-5.img"], _parts.Disks.Order());
        Assert.Equal(4, _parts.Targets.Count);
        Assert.Equal(4, _sessions.Audit.Count(a => a.Action == "session.ready"));
        Assert.All(sessions.Where(s => s.State == SessionState.Ready), s => Assert.Equal(s.Id, int.Parse(s.Target!.Iqn.Value.Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ABatchLargerThanItsWorkers_ClaimsASessionOnlyWhenAWorkerIsFreeForIt_SoNoneWaitsInProvisioning()
    {
        var sessions = new List<Session>();
        for (var pc = 1; pc <= ProvisionSession.AtOnce + 2; pc++)
        {
            sessions.Add(await PendingSessionAsync(pc: pc));
        }
        var lastWhileTargetsAreMade = new System.Collections.Concurrent.ConcurrentQueue<SessionState>();
        _parts.WhileMakingTheTarget = () => lastWhileTargetsAreMade.Enqueue(sessions[^1].State);

        await _provision.ExecuteManyAsync([.. sessions.Select(s => s.Id)], CancellationToken.None);

        // While the first sessions' targets were made, the last one was still Pending: reconcile re-queues a pending
        // session that waits, where it would fail a provisioning that seems stuck.
        Assert.Contains(SessionState.Pending, lastWhileTargetsAreMade);
        Assert.All(sessions, s => Assert.Equal(SessionState.Ready, s.State));
    }

    [Fact]
    public async Task ASessionClaimedBefore_IsLeftAlone_ByASecondRunOfItsBatch()
    {
        var session = await PendingSessionAsync();
        await _provision.ExecuteManyAsync([session.Id], CancellationToken.None);
        var steps = _parts.Log.Count;

        await _provision.ExecuteManyAsync([session.Id], CancellationToken.None);

        Assert.Equal(SessionState.Ready, session.State);
        Assert.Equal(steps, _parts.Log.Count);
    }

    [Fact]
    public async Task APcBusyLongerThanTheStartWaits_FailsTheSessionWithASentence_AndMakesNothing()
    {
        var session = await PendingSessionAsync();

        await _world.ProvisionWith(new HeldClusterLocks()).ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal(SessionState.Failed, _sessions.StoredState(session.Id));
        Assert.Equal(
            $"The start of pc-17's session {session.Id} waited 10 minutes for the PC's earlier start or stop to finish, and gave up. " +
            "Start the session again; if it waits again, look for a job of this PC that does not end (Jobs).", session.FailureReason);
        Assert.Empty(_parts.Log);
        Assert.Contains(session.MachineId, _notifier.MachinesChanged);
    }

    [Fact]
    public async Task ASessionClaimedByAnotherRunWhileThisOneWaited_IsLeftToThatRun()
    {
        var session = await PendingSessionAsync();
        var claimedMeanwhile = new HeldClusterLocks(() => _sessions.ClaimForProvisioningAsync([session.Id], DateTime.UtcNow, CancellationToken.None));

        await _world.ProvisionWith(claimedMeanwhile).ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal(SessionState.Provisioning, _sessions.StoredState(session.Id));
        Assert.DoesNotContain(_sessions.Audit, a => a.Action == GGnet.Core.Audit.AuditActions.SessionFailed);
        Assert.Empty(_parts.Log);
    }

    [Fact]
    public async Task WithDataDisks_EachIsCopiedAfterTheSystemDisk_ServedOnTheTargetsNextLuns_AndHookedByTheScriptBeforeTheBoot()
    {
        var session = await PendingSessionAsync("games", "tools");

        await _provision.ExecuteAsync(session.Id, CancellationToken.None);
        var script = _parts.Files["machines/52-54-00-00-00-17.ipxe"];

        Assert.Equal(SessionState.Ready, session.State);
        Assert.Equal(["clone /disks/session-1.img", "clone /disks/session-1-data-1.img", "clone /disks/session-1-data-2.img",
            "target iqn.2024-01.net.ggnet:session.1", "script machines/52-54-00-00-00-17.ipxe with a disk"], _parts.Log);
        Assert.Equal(["/disks/session-1.img", "/disks/session-1-data-1.img", "/disks/session-1-data-2.img"], _parts.LastSpec!.DiskPaths);
        Assert.True(script.IndexOf("sanhook --drive 0x82 --no-describe iscsi:10.99.0.1:::3:iqn.2024-01.net.ggnet:session.1", StringComparison.Ordinal)
            is var hook && hook > 0 && hook < script.IndexOf("sanboot iscsi:10.99.0.1:::1:", StringComparison.Ordinal), script);
        Assert.Contains(_sessions.Audit, a => a.Action == "session.ready" && a.After!.Contains(" data-disks=2 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithDataDisks_TheTargetFailing_DeletesTheDataCopiesAndTheClone()
    {
        var session = await PendingSessionAsync("games");
        _parts.FailAt = "target";

        await _provision.ExecuteAsync(session.Id, CancellationToken.None);

        Assert.Equal(SessionState.Failed, session.State);
        Assert.Equal(["delete /disks/session-1-data-1.img", "delete /disks/session-1.img"], _parts.Log.Where(l => l.StartsWith("delete /disks", StringComparison.Ordinal)));
        Assert.Empty(_parts.Disks);
    }

    private async Task<Session> PendingSessionAsync(params string[] dataImages) => await PendingSessionAsync(17, dataImages);

    private Task<Session> PendingSessionAsync(int pc, params string[] dataImages) => _world.PendingSessionAsync(pc, dataImages);
}
