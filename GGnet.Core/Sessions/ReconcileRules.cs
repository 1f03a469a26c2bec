using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

/// <summary>
/// The reconcile pass's rule for one session, from what it knows of the session alone: its state, how long since it
/// last changed, whether that was before this server started, and its target. A pure function: the pass judges a
/// session on its first read and again on the fresh one under the machine's lock, and acts only when both agree.
/// </summary>
public static class ReconcileRules
{
    /// <summary>A provisioning that takes longer than this has failed.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    /// <summary>Jobs lost with a killed process are queued again after this long (a second run of a job does nothing).</summary>
    public static readonly TimeSpan RequeueAfter = TimeSpan.FromSeconds(30);

    public static ReconcileWork WorkFor(SessionState state, TimeSpan sinceChange, bool changedBeforeServerStart, TargetPresence target) => state switch
    {
        SessionState.Pending when sinceChange > RequeueAfter || changedBeforeServerStart => ReconcileWork.RequeueProvisioning,
        SessionState.Provisioning when changedBeforeServerStart => ReconcileWork.FailKilledProvisioning,
        SessionState.Provisioning when sinceChange > StuckAfter => ReconcileWork.FailStuckProvisioning,
        SessionState.Stopping when sinceChange > RequeueAfter => ReconcileWork.RequeueTeardown,
        SessionState.Ready or SessionState.Booting or SessionState.Online when target == TargetPresence.Listed => ReconcileWork.CheckServing,
        SessionState.Ready or SessionState.Booting or SessionState.Online when target == TargetPresence.Missing => ReconcileWork.RecreateTarget,
        _ => ReconcileWork.None,
    };
}
