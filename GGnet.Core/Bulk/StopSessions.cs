using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Core.Bulk;

/// <summary>Closing time: stops the session of every selected machine (or a whole group); machines without one are skipped.</summary>
public sealed class StopSessions(IMachineRepository machines, IMachineGroupRepository groups, ISessionRepository sessions, StopSession stop)
{
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(MachineSelection selection, string actor, CancellationToken cancellationToken)
    {
        var outcomes = new List<BulkOutcome>();
        foreach (var machine in await selection.ResolveAsync(machines, groups, cancellationToken))
        {
            if (await sessions.FindActiveAsync(machine.Id, cancellationToken) is not { } session)
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, "no session"));
                continue;
            }
            try
            {
                await stop.ExecuteAsync(session.Id, actor, cancellationToken);
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, "stopping", session.Id));
            }
            catch (ConflictException refused)
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, false, refused.Message, session.Id));
            }
        }
        return outcomes;
    }
}
