using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Schedules;
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
            if (image.IsData)
            {
                throw new InvalidInputException(new Dictionary<string, string[]>
                {
                    ["imageId"] = [$"Image '{image.Name}' is a data image: PCs don't boot it. Choose a system image; attach '{image.Name}' to the group instead."],
                });
            }
            imageId = image.Id;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var schedule = new Schedule(group.Id, at, days, action, imageId, now);
        schedule.PaceWaves(input.WaveSize, input.WaveSeconds);
        await schedules.AddAsync(schedule,
            saved => new AuditEvent(now, actor, AuditActions.ScheduleCreated, "schedule", saved.Id.ToString(CultureInfo.InvariantCulture), null, saved.Summary(group.Name)),
            cancellationToken);
        scheduler.Register(schedule);
        return schedule;
    }
}
