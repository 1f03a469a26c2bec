using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

/// <summary>Gives a group a new name (and description); its machines and schedules stay with it.</summary>
public sealed class RenameMachineGroup(IMachineGroupRepository groups, TimeProvider clock)
{
    public async Task<MachineGroup> ExecuteAsync(int id, string? name, string? description, string actor, CancellationToken cancellationToken)
    {
        var group = await groups.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no group with id {id}.");
        var (trimmed, cleanDescription) = MachineGroupRules.Check(name, description);
        if (await groups.FindByNameAsync(trimmed, cancellationToken) is { } other && other.Id != id)
        {
            throw new ConflictException($"A group named '{trimmed}' already exists.");
        }
        var before = $"name={group.Name}";
        group.Rename(trimmed, cleanDescription);
        await groups.SaveAsync(group,
            new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.GroupRenamed, "group", id.ToString(CultureInfo.InvariantCulture), before, $"name={group.Name}"),
            cancellationToken);
        return group;
    }
}
