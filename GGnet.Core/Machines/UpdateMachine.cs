using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Machines;

public sealed class UpdateMachine(
    IMachineRepository machines,
    GetMachine getMachine,
    MachineRules rules,
    IBootSyncTrigger bootSync,
    IStatusNotifier notifier,
    PublishWebhookEvents events,
    TimeProvider clock)
{
    public async Task<Machine> ExecuteAsync(int id, MachineInput input, string actor, CancellationToken cancellationToken)
    {
        var details = input.ToDetails();
        var machine = await getMachine.ExecuteAsync(id, cancellationToken);
        await rules.EnsureAllowedAsync(details, exceptId: id, cancellationToken);

        var before = machine.Summary();
        machine.Update(details);
        var after = machine.Summary();
        if (before == after)
        {
            return machine;
        }

        var audit = new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.MachineUpdated, "machine", id.ToString(CultureInfo.InvariantCulture), before, after);
        await machines.UpdateAsync(machine, audit, cancellationToken);
        bootSync.Request();
        notifier.MachineChanged(machine.Id);
        await events.MachineChangedAsync(WebhookEventTypes.MachineUpdated, machine, cancellationToken);
        return machine;
    }
}
