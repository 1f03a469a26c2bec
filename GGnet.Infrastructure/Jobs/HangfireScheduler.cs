using System.Globalization;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Ports;
using GGnet.Core.Schedules;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace GGnet.Infrastructure.Jobs;

/// <summary>Each schedule is a Hangfire recurring job <c>schedule-N</c> with its cron, in the server's local time zone.</summary>
public sealed class HangfireScheduler(IRecurringJobManager recurring, JobStorage storage) : IScheduler
{
    public const string Prefix = "schedule-";

    public static string JobId(int scheduleId) => Prefix + scheduleId.ToString(CultureInfo.InvariantCulture);

    public void Register(Schedule schedule) =>
        recurring.AddOrUpdate<ScheduleRunner>(JobId(schedule.Id), NodeQueues.Shared, runner => runner.RunAsync(schedule.Id, CancellationToken.None), schedule.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });

    public void Remove(int scheduleId) => recurring.RemoveIfExists(JobId(scheduleId));

    public void Sync(IReadOnlyList<Schedule> schedules)
    {
        foreach (var schedule in schedules)
        {
            Register(schedule);
        }
        using var connection = storage.GetConnection();
        var wanted = schedules.Select(s => JobId(s.Id)).ToHashSet(StringComparer.Ordinal);
        foreach (var job in connection.GetRecurringJobs().Where(j => j.Id.StartsWith(Prefix, StringComparison.Ordinal) && !wanted.Contains(j.Id)))
        {
            recurring.RemoveIfExists(job.Id);
        }
    }
}

/// <summary>What the recurring job of a schedule calls.</summary>
public sealed class ScheduleRunner(RunSchedule run)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int scheduleId, CancellationToken cancellationToken) => await run.ExecuteAsync(scheduleId, cancellationToken);
}

/// <summary>A schedule's later boot waves: delayed Hangfire jobs on the shared queue, each scheduling the next.</summary>
public sealed class HangfireBootWaveJobs(PromptDelayedJobs jobs) : IBootWaveJobs
{
    public void Schedule(BootWavePlan plan, int wave, DateTime lastWokenAt, TimeSpan delay) =>
        jobs.Schedule(Job.FromExpression<BootWaveRunner>(runner => runner.RunAsync(plan, wave, lastWokenAt, CancellationToken.None), NodeQueues.Shared), delay);
}

/// <summary>What a boot wave's job calls; a wave that failed (the database away a moment) is tried again, waking its PCs once more at worst.</summary>
public sealed class BootWaveRunner(WakeBootWave wake)
{
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 15, 30])]
    public async Task RunAsync(BootWavePlan plan, int wave, DateTime lastWokenAt, CancellationToken cancellationToken) =>
        await wake.ExecuteAsync(plan, wave, lastWokenAt, cancellationToken);
}
