using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class CreateMachineGroup(IMachineGroupRepository groups, TimeProvider clock)
{
    public async Task<MachineGroup> ExecuteAsync(string? name, string? description, string actor, CancellationToken cancellationToken)
    {
        var (trimmed, cleanDescription) = MachineGroupRules.Check(name, description);
        if (await groups.FindByNameAsync(trimmed, cancellationToken) is not null)
        {
            throw new ConflictException($"A group named '{trimmed}' already exists.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var group = new MachineGroup(trimmed, cleanDescription);
        await groups.AddAsync(
            group,
            saved => new AuditEvent(now, actor, AuditActions.GroupCreated, "group", saved.Id.ToString(CultureInfo.InvariantCulture), null, $"name={saved.Name}"),
            cancellationToken);
        return group;
    }
}
