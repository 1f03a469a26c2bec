using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Bulk;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Schedules;

/// <summary>Adds a schedule for a group and registers it to run at its time.</summary>
public sealed class CreateSchedule(IScheduleRepository schedules, IMachineGroupRepository groups, IImageRepository images, IScheduler scheduler, TimeProvider clock)
{
    public async Task<Schedule> ExecuteAsync(ScheduleInput input, string actor, CancellationToken cancellationToken)
    {
        var (at, days, action) = input.Parse();
        var group = await groups.FindAsync(input.GroupId, cancellationToken)
            ?? throw new InvalidInputException(new Dictionary<string, string[]> { ["groupId"] = [$"There is no group with id {input.GroupId}."] });
        int? imageId = null;
        if (action == ScheduleAction.StartAndWake)
        {
            var image = await images.FindAsync(input.ImageId!.Value, cancellationToken)
                ?? throw new InvalidInputException(new Dictionary<string, string[]> { ["imageId"] = [$"There is no image with id {input.ImageId}."] });
            imageId = image.Id;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var schedule = new Schedule(group.Id, at, days, action, imageId, now);
        await schedules.AddAsync(schedule,
            saved => new AuditEvent(now, actor, AuditActions.ScheduleCreated, "schedule", saved.Id.ToString(CultureInfo.InvariantCulture), null, saved.Summary(group.Name)),
            cancellationToken);
        scheduler.Register(schedule);
        return schedule;
    }
}

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

/// <summary>
/// A schedule's time has come (or an admin clicked "Run now"): for opening time the group's sessions start first and
/// the PCs are woken after, so they boot into them; each machine's outcome is audited in one line.
/// </summary>
public sealed class RunSchedule(IScheduleRepository schedules, IImageRepository images, WakeMachines wake, StartSessions start, StopSessions stop, IAuditLog audit, TimeProvider clock)
{
    public const string Actor = "schedule";

    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(int id, CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no schedule with id {id}.");
        var group = new MachineSelection(null, schedule.GroupId);
        var actor = $"{Actor}:{id.ToString(CultureInfo.InvariantCulture)}";
        IReadOnlyList<BulkOutcome> outcomes;
        switch (schedule.Action)
        {
            case ScheduleAction.StartAndWake:
                var image = schedule.ImageId is { } imageId ? await images.FindAsync(imageId, cancellationToken) : null;
                var started = image is null
                    ? []
                    : await start.ExecuteAsync(group, image.Id, SessionType.Normal, actor, cancellationToken);
                var woken = await wake.ExecuteAsync(group, actor, cancellationToken);
                outcomes = image is null
                    ? woken.Select(w => w with { Done = false, Detail = $"the schedule's image (id {schedule.ImageId}) is gone; woken only" }).ToList()
                    : started;
                break;
            case ScheduleAction.StopSessions:
                outcomes = await stop.ExecuteAsync(group, actor, cancellationToken);
                break;
            default:
                outcomes = await wake.ExecuteAsync(group, actor, cancellationToken);
                break;
        }
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ScheduleRan, "schedule", id.ToString(CultureInfo.InvariantCulture), null,
            $"action={schedule.Action} done={outcomes.Count(o => o.Done)} refused={outcomes.Count(o => !o.Done)}"), cancellationToken);
        return outcomes;
    }
}
