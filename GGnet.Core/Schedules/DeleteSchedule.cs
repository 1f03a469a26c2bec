using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Schedules;

/// <summary>Removes a schedule; it no longer runs.</summary>
public sealed class DeleteSchedule(IScheduleRepository schedules, IScheduler scheduler, TimeProvider clock)
{
    public async Task ExecuteAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no schedule with id {id}.");
        scheduler.Remove(schedule.Id);
        await schedules.DeleteAsync(schedule, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ScheduleDeleted, "schedule",
            id.ToString(CultureInfo.InvariantCulture), schedule.Cron, null), cancellationToken);
    }
}
