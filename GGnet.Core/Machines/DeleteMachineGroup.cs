using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

/// <summary>
/// Deletes a group. Its machines stay, without a group. A group that schedules still act on is kept: silently
/// dropping an opening-time schedule would leave a hall dark one morning.
/// </summary>
public sealed class DeleteMachineGroup(IMachineGroupRepository groups, IScheduleRepository schedules, TimeProvider clock)
{
    public async Task ExecuteAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var group = await groups.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no group with id {id}.");
        var scheduled = (await schedules.ListAsync(cancellationToken)).Count(s => s.GroupId == id);
        if (scheduled > 0)
        {
            throw new ConflictException($"Group '{group.Name}' has {scheduled} schedule{(scheduled == 1 ? "" : "s")}. " +
                $"Delete {(scheduled == 1 ? "it" : "them")} first (Machines › Schedules), then the group.");
        }
        await groups.DeleteAsync(group,
            new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.GroupDeleted, "group", id.ToString(CultureInfo.InvariantCulture), $"name={group.Name}", null),
            cancellationToken);
    }
}
