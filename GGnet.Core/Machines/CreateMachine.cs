using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Machines;

public sealed class CreateMachine(IMachineRepository machines, MachineRules rules, IBootSyncTrigger bootSync, IStatusNotifier notifier, PublishWebhookEvents events, TimeProvider clock)
{
    public async Task<Machine> ExecuteAsync(MachineInput input, string actor, CancellationToken cancellationToken)
    {
        var details = input.ToDetails();
        await rules.EnsureAllowedAsync(details, exceptId: null, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var machine = new Machine(details, now);
        await machines.AddAsync(
            machine,
            saved => new AuditEvent(now, actor, AuditActions.MachineCreated, "machine", saved.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, saved.Summary()),
            cancellationToken);
        bootSync.Request();
        notifier.MachineChanged(machine.Id);
        await events.MachineChangedAsync(WebhookEventTypes.MachineCreated, machine, cancellationToken);
        return machine;
    }
}
