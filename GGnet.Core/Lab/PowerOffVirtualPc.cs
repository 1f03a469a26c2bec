using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>Pulls a virtual PC's plug: the guest ends at once, the PC shows Offline and its session waits, Ready, for the next boot.</summary>
public sealed class PowerOffVirtualPc(GetMachine getMachine, IVirtualPcs pcs, RecordVirtualPcOff recordOff, IAuditLog audit, TimeProvider clock)
{
    public async Task<Machine> ExecuteAsync(int machineId, string actor, CancellationToken cancellationToken)
    {
        var machine = await getMachine.ExecuteAsync(machineId, cancellationToken);
        if (!machine.IsVirtual)
        {
            throw new ConflictException($"'{machine.Name}' is a real PC: GGnet can only power off virtual PCs.");
        }
        if (!await pcs.PowerOffAsync(machine.Id, cancellationToken))
        {
            return machine;
        }
        await recordOff.ExecuteAsync(machine, cancellationToken);
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.VirtualPcPoweredOff, "machine",
            machine.Id.ToString(CultureInfo.InvariantCulture), null, $"name={machine.Name}"), cancellationToken);
        return machine;
    }
}
