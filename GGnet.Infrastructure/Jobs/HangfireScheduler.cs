using System.Globalization;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Ports;
using Hangfire;
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
