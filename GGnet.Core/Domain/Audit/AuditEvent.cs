namespace GGnet.Core.Domain.Audit;

/// <summary>A record of one change: who did what to which entity, when, and how it looked before and after.</summary>
public sealed class AuditEvent
{
    private AuditEvent()
    {
        Actor = "";
        Action = "";
        EntityType = "";
    }

    public AuditEvent(DateTime at, string actor, string action, string entityType, string? entityId, string? before, string? after)
    {
        At = at;
        Actor = actor;
        Action = action;
        EntityType = entityType;
        EntityId = entityId;
        Before = before;
        After = after;
    }

    public long Id { get; private set; }

    public DateTime At { get; private set; }

    /// <summary>The user name, or "system" for jobs.</summary>
    public string Actor { get; private set; }

    /// <summary>What happened, e.g. <c>machine.created</c>.</summary>
    public string Action { get; private set; }

    public string EntityType { get; private set; }

    public string? EntityId { get; private set; }

    public string? Before { get; private set; }

    public string? After { get; private set; }
}
