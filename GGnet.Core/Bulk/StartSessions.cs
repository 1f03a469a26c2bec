using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Core.Bulk;

/// <summary>Opening time: a session for every selected machine (or a whole group). One machine that can't start says why; the others start.</summary>
public sealed class StartSessions(IMachineRepository machines, IMachineGroupRepository groups, StartSession start)
{
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(MachineSelection selection, int imageId, SessionType type, string actor, CancellationToken cancellationToken)
    {
        var selected = await selection.ResolveAsync(machines, groups, cancellationToken);
        if (type == SessionType.Normal)
        {
            try
            {
                return await start.ExecuteManyAsync(selected, imageId, actor, cancellationToken);
            }
            catch (Exception refused) when (refused is ConflictException or NotFoundException)
            {
                // The image or the storage: no machine can start.
                return selected.Select(m => new BulkOutcome(m.Id, m.Name.Value, false, refused.Message)).ToList();
            }
        }
        // Maintenance: one update of an image at a time, so each machine is checked against the ones started before it.
        var outcomes = new List<BulkOutcome>();
        foreach (var machine in selected)
        {
            try
            {
                var session = await start.ExecuteAsync(new StartSessionRequest(machine.Id, imageId, type), actor, cancellationToken);
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, "session started", session.Id));
            }
            catch (Exception refused) when (refused is ConflictException or NotFoundException or InvalidInputException)
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, false, refused.Message));
            }
        }
        return outcomes;
    }
}
