using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Machines;

/// <summary>
/// What follows, once it is committed, from what was done to machines (<see cref="MachineEvent"/>): the boot files and
/// DHCP are brought in line (one sync request), open screens refresh each machine, and webhook subscribers get
/// machine.created, .updated or .deleted. The machine repository calls this after each commit; the audit entries were
/// written in the commit itself.
/// </summary>
public sealed class AfterMachineCommit(IBootSyncTrigger bootSync, IStatusNotifier notifier, PublishWebhookEvents webhooks)
{
    public async Task HandleAsync(IReadOnlyList<MachineEvent> happened, CancellationToken cancellationToken)
    {
        if (happened.Count == 0)
        {
            return;
        }
        bootSync.Request();
        foreach (var machineId in happened.Select(e => e.Machine.Id).Distinct())
        {
            notifier.MachineChanged(machineId);
        }
        foreach (var happening in happened)
        {
            var machine = happening.Machine;
            await webhooks.PublishAsync(happening.WebhookType, happening.At, () => Task.FromResult<object>(
                new MachineEventData(machine.Id, machine.Name.Value, machine.MacAddress.Value, machine.IpAddress?.Value, machine.GroupId, machine.Enabled)),
                cancellationToken);
        }
    }
}
