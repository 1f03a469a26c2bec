using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Webhooks;

namespace GGnet.Core.Domain.Sessions;

/// <summary>
/// Something that happened to a session, recorded by the session itself as it changed (<see cref="Session.TakeHappened"/>).
/// What follows from each kind is decided here, once: the audit entry its repository writes in the same commit as the
/// change, and the webhook event <see cref="GGnet.Core.Sessions.AfterSessionCommit"/> publishes once it is committed (every one
/// of them also refreshes the machine on open screens).
/// </summary>
public abstract record SessionEvent(Session Session, DateTime At)
{
    /// <summary>The audit entry, or null for what nobody audits (a PC coming online is an observation).</summary>
    public virtual AuditEvent? Audit => null;

    /// <summary>The webhook event it is (<see cref="WebhookEventTypes"/>), or null.</summary>
    public virtual string? WebhookType => null;

    protected string SessionId => Session.Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The session moved from one state to another; <paramref name="Note"/> is what its audit entry says of it.</summary>
public sealed record SessionMoved(Session Session, SessionState From, SessionState To, DateTime At, string Actor, string? Note)
    : SessionEvent(Session, At)
{
    public override AuditEvent? Audit => To switch
    {
        SessionState.Stopping => new AuditEvent(At, Actor, AuditActions.SessionStopRequested, "session", SessionId, $"state={From}", Note ?? "state=Stopping"),
        SessionState.Stopped => new AuditEvent(At, Actor, AuditActions.SessionStopped, "session", SessionId, $"state={From}", Note ?? "state=Stopped"),
        SessionState.Failed => new AuditEvent(At, Actor, AuditActions.SessionFailed, "session", SessionId, null, Note),
        SessionState.Ready when From == SessionState.Provisioning => new AuditEvent(At, Actor, AuditActions.SessionReady, "session", SessionId, null, Note),
        _ => null,
    };

    /// <summary>Ready after provisioning, Online, Failed and Stopped are events; an online PC gone (Ready again) is session.offline.</summary>
    public override string? WebhookType => (From, To) switch
    {
        (SessionState.Provisioning, SessionState.Ready) => WebhookEventTypes.SessionReady,
        (SessionState.Online, SessionState.Ready) => WebhookEventTypes.SessionOffline,
        (_, SessionState.Online) => WebhookEventTypes.SessionOnline,
        (_, SessionState.Failed) => WebhookEventTypes.SessionFailed,
        (_, SessionState.Stopped) => WebhookEventTypes.SessionStopped,
        _ => null,
    };
}

/// <summary>The PC's own operating system logged in to its disk (after the firmware did): the boot is done.</summary>
public sealed record SessionOsTookOver(Session Session, DateTime At) : SessionEvent(Session, At);

/// <summary>The session wrote <paramref name="OwnBytes"/>, <see cref="Session.SpaceLowShare"/> or more of its image's write quota.</summary>
public sealed record SessionSpaceLow(Session Session, long OwnBytes, long QuotaBytes, DateTime At) : SessionEvent(Session, At)
{
    public override AuditEvent? Audit => new(At, "system", AuditActions.SessionSpaceLow, "session", SessionId, null,
        string.Create(CultureInfo.InvariantCulture, $"own-bytes={OwnBytes} quota-bytes={QuotaBytes}"));

    public override string? WebhookType => WebhookEventTypes.SessionSpaceLow;
}
