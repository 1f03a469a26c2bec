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
