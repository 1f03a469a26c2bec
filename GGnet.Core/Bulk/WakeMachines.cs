using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Bulk;

/// <summary>Wake-on-LAN for the selected machines (or a whole group): a magic packet each, audited. The PCs then network-boot.</summary>
public sealed class WakeMachines(IMachineRepository machines, IMachineGroupRepository groups, IWakeOnLan wake, IAuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(MachineSelection selection, string actor, CancellationToken cancellationToken)
    {
        var outcomes = new List<BulkOutcome>();
        foreach (var machine in await selection.ResolveAsync(machines, groups, cancellationToken))
        {
            try
            {
                var where = await wake.SendAsync(machine.MacAddress, cancellationToken);
                await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.MachineWoken, "machine",
                    machine.Id.ToString(CultureInfo.InvariantCulture), null, $"mac={machine.MacAddress} to={where}"), cancellationToken);
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, $"magic packet sent to {where}"));
            }
            catch (Exception failed) when (failed is Errors.ConflictException or IOException or System.Net.Sockets.SocketException)
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, false, failed.Message));
            }
        }
        return outcomes;
    }
}
