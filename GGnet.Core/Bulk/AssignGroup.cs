using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Bulk;

/// <summary>Moves the ticked machines into a group (or out of any), each as an audited edit of the machine.</summary>
public sealed class AssignGroup(IMachineRepository machines, IMachineGroupRepository groups, UpdateMachine update)
{
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(IReadOnlyList<int> machineIds, int? groupId, string actor, CancellationToken cancellationToken)
    {
        var group = groupId is { } id
            ? await groups.FindAsync(id, cancellationToken) ?? throw new InvalidInputException(new Dictionary<string, string[]> { ["groupId"] = [$"There is no group with id {id}."] })
            : null;
        var outcomes = new List<BulkOutcome>();
        foreach (var machine in await new MachineSelection(machineIds, null).ResolveAsync(machines, groups, cancellationToken))
        {
            if (machine.GroupId == groupId)
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, group is null ? "in no group already" : $"in {group.Name} already"));
                continue;
            }
            try
            {
                await update.ExecuteAsync(machine.Id, MachineInput.From(machine) with { GroupId = groupId }, actor, cancellationToken);
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, group is null ? "taken out of its group" : $"moved to {group.Name}"));
            }
            catch (Exception refused) when (refused is ConflictException or InvalidInputException)
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, false, refused.Message));
            }
        }
        return outcomes;
    }
}
