using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Webhooks;

namespace GGnet.Core.Domain.Machines;

/// <summary>What was done to a machine's record.</summary>
public enum MachineChange
{
    Created,
    Updated,
    Deleted,
}

/// <summary>
/// Something done to a machine's record, recorded by the machine itself (<see cref="Machine.TakeHappened"/>). Its
/// repository writes <see cref="Audit"/> in the same commit; after the commit, <see cref="GGnet.Core.Machines.AfterMachineCommit"/>
/// asks for a boot-file sync, refreshes open screens and publishes <see cref="WebhookType"/>.
/// <paramref name="Before"/> and <paramref name="After"/> are what the audit entry shows; a creation's After is the
/// machine as saved (with its id), after <paramref name="Note"/>.
/// </summary>
public sealed record MachineEvent(Machine Machine, MachineChange Change, DateTime At, string Actor, string? Before = null, string? After = null, string? Note = null)
{
    public AuditEvent Audit => new(At, Actor, Action, "machine", Machine.Id.ToString(CultureInfo.InvariantCulture), Before,
        Change == MachineChange.Created ? (Note is null ? "" : Note + " ") + Machine.Summary() : After);

    public string WebhookType => Change switch
    {
        MachineChange.Created => WebhookEventTypes.MachineCreated,
        MachineChange.Updated => WebhookEventTypes.MachineUpdated,
        _ => WebhookEventTypes.MachineDeleted,
    };

    private string Action => Change switch
    {
        MachineChange.Created => AuditActions.MachineCreated,
        MachineChange.Updated => AuditActions.MachineUpdated,
        _ => AuditActions.MachineDeleted,
    };
}
