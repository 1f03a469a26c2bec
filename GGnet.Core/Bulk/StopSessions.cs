using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Core.Bulk;

/// <summary>Closing time: stops the session of every selected machine (or a whole group) in one go; machines without one are skipped.</summary>
public sealed class StopSessions(IMachineRepository machines, IMachineGroupRepository groups, ISessionRepository sessions, StopSession stop)
{
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(MachineSelection selection, string actor, CancellationToken cancellationToken)
    {
        var selected = await selection.ResolveAsync(machines, groups, cancellationToken);
        var active = (await sessions.ListActiveAsync(cancellationToken)).ToDictionary(s => s.MachineId);
        var stopped = await stop.ExecuteManyAsync(selected.Select(m => active.GetValueOrDefault(m.Id)).OfType<Domain.Sessions.Session>().ToList(), actor, cancellationToken);
        var outcomes = new List<BulkOutcome>();
        foreach (var machine in selected)
        {
            if (!active.TryGetValue(machine.Id, out var session))
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, "no session"));
                continue;
            }
            if (stopped.Contains(session.Id))
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, "stopping", session.Id));
                continue;
            }
            // Already stopping, a maintenance PC still running, or changed since it was read: the one-session way says which.
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
