using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>Starts a virtual PC; it network-boots from GGnet like a real one.</summary>
public sealed class PowerOnVirtualPc(GetMachine getMachine, IVirtualPcs pcs, IBootRepository boot, IAuditLog audit, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task<Machine> ExecuteAsync(int machineId, string actor, CancellationToken cancellationToken)
    {
        var machine = await getMachine.ExecuteAsync(machineId, cancellationToken);
        if (!machine.IsVirtual)
        {
            throw new ConflictException($"'{machine.Name}' is a real PC: GGnet can only power on virtual PCs. Switch it on at the PC, or wake it over the network.");
        }
        if (pcs.PoweredOn.Contains(machine.Id))
        {
            return machine;
        }
        await pcs.PowerOnAsync(machine, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await boot.RecordObservationAsync(machine.Id, BootStage.Idle, new BootEvent(machine.Id, machine.MacAddress, BootEventKind.PoweredOn, null, now), now, cancellationToken);
        await audit.WriteAsync(new AuditEvent(now, actor, AuditActions.VirtualPcPoweredOn, "machine",
            machine.Id.ToString(CultureInfo.InvariantCulture), null, $"name={machine.Name}"), cancellationToken);
        notifier.MachineChanged(machine.Id);
        return machine;
    }
}
