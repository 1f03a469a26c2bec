using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>
/// Pulls a virtual PC's plug. GGnet knows it is off, so the PC is Offline at once and a booting or online
/// session goes back to Ready, waiting for the next boot.
/// </summary>
public sealed class PowerOffVirtualPc(GetMachine getMachine, IVirtualPcs pcs, IBootRepository boot, ISessionRepository sessions, IAuditLog audit, IStatusNotifier notifier, TimeProvider clock)
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
        var now = clock.GetUtcNow().UtcDateTime;
        await boot.RecordObservationAsync(machine.Id, BootStage.Offline, new BootEvent(machine.Id, machine.MacAddress, BootEventKind.PoweredOff, null, now), now, cancellationToken);
        if (await sessions.FindActiveAsync(machine.Id, cancellationToken) is { State: SessionState.Booting or SessionState.Online } session)
        {
            session.MoveTo(SessionState.Ready, now);
            await sessions.SaveAsync(session, null, cancellationToken);
        }
        await audit.WriteAsync(new AuditEvent(now, actor, AuditActions.VirtualPcPoweredOff, "machine", machine.Id.ToString(CultureInfo.InvariantCulture), null, $"name={machine.Name}"), cancellationToken);
        notifier.MachineChanged(machine.Id);
        return machine;
    }
}
