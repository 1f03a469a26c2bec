using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Bulk;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Schedules;

/// <summary>
/// A schedule's time has come (or an admin clicked "Run now"): for opening time the group's sessions start first and
/// the PCs are woken after, so they boot into them, in waves when the schedule says so (the first now, the others by
/// later jobs: <see cref="WakeBootWave"/>); each machine's outcome, with its wave, is audited in one line.
/// </summary>
public sealed class RunSchedule(IScheduleRepository schedules, IImageRepository images, WakeMachines wake, WakeBootWave wakeWave, StartSessions start, StopSessions stop,
    IMachineRepository machines, IMachineGroupRepository groups, IAuditLog audit, TimeProvider clock)
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
                var (woken, waves) = await WakeAsync(schedule, group, actor, cancellationToken);
                outcomes = image is null
                    ? woken.Select(w => w with { Done = false, Detail = $"the schedule's image (id {schedule.ImageId}) is gone; woken only" }).ToList()
                    : waves is null ? started : started.Select(s => s with { Detail = $"{s.Detail}; {WaveSentence(waves, s.MachineId)}" }).ToList();
                break;
            case ScheduleAction.StopSessions:
                outcomes = await stop.ExecuteAsync(group, actor, cancellationToken);
                break;
            default:
                outcomes = (await WakeAsync(schedule, group, actor, cancellationToken)).Woken;
                break;
        }
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ScheduleRan, "schedule", id.ToString(CultureInfo.InvariantCulture), null,
            $"action={schedule.Action} done={outcomes.Count(o => o.Done)} refused={outcomes.Count(o => !o.Done)}"), cancellationToken);
        return outcomes;
    }

    private static string WaveSentence(BootWavePlan plan, int machineId) =>
        plan.WaveOf(machineId) is { } wave ? plan.Sentence(wave) : "joined the group during the run: not woken";

    // The whole group at once, or the first wave now and a job for the next (each machine of a later wave told when it wakes).
    private async Task<(IReadOnlyList<BulkOutcome> Woken, BootWavePlan? Waves)> WakeAsync(Schedule schedule, MachineSelection group, string actor,
        CancellationToken cancellationToken)
    {
        if (schedule.WaveSize is null)
        {
            return (await wake.ExecuteAsync(group, actor, cancellationToken), null);
        }
        var members = await group.ResolveAsync(machines, groups, cancellationToken);
        if (members.Count == 0)
        {
            return ([], null);
        }
        var plan = BootWavePlan.For(schedule, members, actor);
        var first = await wakeWave.ExecuteAsync(plan, 0, clock.GetUtcNow().UtcDateTime, cancellationToken);
        var later = members.Where(m => plan.WaveOf(m.Id) > 0)
            .Select(m => new BulkOutcome(m.Id, m.Name.Value, true, WaveSentence(plan, m.Id)));
        return ([.. first.Select(o => o with { Detail = $"{o.Detail}; {plan.Sentence(0)}" }), .. later], plan);
    }
}
