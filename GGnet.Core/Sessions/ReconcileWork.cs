using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

/// <summary>What a reconcile pass does for one active session.</summary>
public enum ReconcileWork
{
    None,

    /// <summary>Pending too long, or since before the server started: its provisioning job was lost; queue it again.</summary>
    RequeueProvisioning,

    /// <summary>Provisioning when the server stopped: the job died half-way; fail the session with that reason.</summary>
    FailKilledProvisioning,

    /// <summary>Provisioning for longer than <see cref="ReconcileRules.StuckAfter"/>: fail it.</summary>
    FailStuckProvisioning,

    /// <summary>Stopping too long: its teardown job was lost; queue it again.</summary>
    RequeueTeardown,

    /// <summary>Running, but its target is gone (tgtd or the server restarted): make the target again.</summary>
    RecreateTarget,

    /// <summary>Running with its target: check that its disk is still served (an overlay's export may have died).</summary>
    CheckServing,
}

/// <summary>Whether a session has a target, and whether the backend still lists it.</summary>
public enum TargetPresence
{
    NoTarget,
    Missing,
    Listed,
}

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
