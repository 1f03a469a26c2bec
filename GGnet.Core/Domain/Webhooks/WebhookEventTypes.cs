namespace GGnet.Core.Domain.Webhooks;

/// <summary>The events GGnet tells other systems about, by the name they carry in X-GGnet-Event and the body's "type".</summary>
public static class WebhookEventTypes
{
    public const string SessionReady = "session.ready";
    public const string SessionOnline = "session.online";
    public const string SessionOffline = "session.offline";
    public const string SessionFailed = "session.failed";
    public const string SessionStopped = "session.stopped";
    public const string SessionSpaceLow = "session.space-low";
    public const string CandidateTested = "image.candidate-tested";
    public const string CanaryRolledBack = "image.canary-rolled-back";
    public const string MachineCreated = "machine.created";
    public const string MachineUpdated = "machine.updated";
    public const string MachineDeleted = "machine.deleted";

    public static readonly IReadOnlyList<string> All =
    [
        SessionReady, SessionOnline, SessionOffline, SessionFailed, SessionStopped, SessionSpaceLow, CandidateTested, CanaryRolledBack, MachineCreated, MachineUpdated, MachineDeleted,
    ];
}
