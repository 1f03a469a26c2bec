using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class DeleteMachine(IMachineRepository machines, GetMachine getMachine, IBootSyncTrigger bootSync, TimeProvider clock)
{
    public async Task ExecuteAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var machine = await getMachine.ExecuteAsync(id, cancellationToken);
        var audit = new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.MachineDeleted, "machine", id.ToString(CultureInfo.InvariantCulture), machine.Summary(), null);
        await machines.DeleteAsync(machine, audit, cancellationToken);
        bootSync.Request();
    }
}
