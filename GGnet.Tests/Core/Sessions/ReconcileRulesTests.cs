using GGnet.Core.Domain.Sessions;
using GGnet.Core.Sessions;

namespace GGnet.Tests.Core.Sessions;

/// <summary>The reconcile pass's rule for one session, as a table: state, seconds since it changed, changed before this server started, its target.</summary>
public sealed class ReconcileRulesTests
{
    public static TheoryData<SessionState, int, bool, TargetPresence, ReconcileWork> Table => new()
    {
        // A start's job is queued at once; lost (the process died) it is queued again after 30 s, or at once after a restart.
        { SessionState.Pending, 10, false, TargetPresence.NoTarget, ReconcileWork.None },
        { SessionState.Pending, 31, false, TargetPresence.NoTarget, ReconcileWork.RequeueProvisioning },
        { SessionState.Pending, 1, true, TargetPresence.NoTarget, ReconcileWork.RequeueProvisioning },
        // A provisioning job that died with the server fails at once; one that runs on is given 5 minutes.
        { SessionState.Provisioning, 1, true, TargetPresence.NoTarget, ReconcileWork.FailKilledProvisioning },
        { SessionState.Provisioning, 299, false, TargetPresence.NoTarget, ReconcileWork.None },
        { SessionState.Provisioning, 301, false, TargetPresence.NoTarget, ReconcileWork.FailStuckProvisioning },
        { SessionState.Provisioning, 301, false, TargetPresence.Missing, ReconcileWork.FailStuckProvisioning },
        // A stop's teardown lost with the process is queued again after 30 s.
        { SessionState.Stopping, 29, false, TargetPresence.Listed, ReconcileWork.None },
        { SessionState.Stopping, 31, false, TargetPresence.Listed, ReconcileWork.RequeueTeardown },
        // A running session whose target is gone gets it back; one with its target has its disk's serving checked.
        { SessionState.Ready, 5, false, TargetPresence.Missing, ReconcileWork.RecreateTarget },
        { SessionState.Booting, 5, true, TargetPresence.Missing, ReconcileWork.RecreateTarget },
        { SessionState.Online, 3600, true, TargetPresence.Missing, ReconcileWork.RecreateTarget },
        { SessionState.Ready, 5, false, TargetPresence.Listed, ReconcileWork.CheckServing },
        { SessionState.Online, 3600, false, TargetPresence.Listed, ReconcileWork.CheckServing },
        // Nothing to heal without a target, and nothing for ended sessions.
        { SessionState.Ready, 5, false, TargetPresence.NoTarget, ReconcileWork.None },
        { SessionState.Stopped, 3600, true, TargetPresence.Missing, ReconcileWork.None },
        { SessionState.Failed, 3600, true, TargetPresence.Listed, ReconcileWork.None },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void WorkFor_FollowsTheTable(SessionState state, int secondsSinceChange, bool beforeServerStart, TargetPresence target, ReconcileWork expected) =>
        Assert.Equal(expected, ReconcileRules.WorkFor(state, TimeSpan.FromSeconds(secondsSinceChange), beforeServerStart, target));
}
