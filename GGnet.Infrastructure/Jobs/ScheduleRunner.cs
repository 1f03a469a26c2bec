using GGnet.Core.Schedules;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>What the recurring job of a schedule calls.</summary>
public sealed class ScheduleRunner(RunSchedule run)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int scheduleId, CancellationToken cancellationToken) => await run.ExecuteAsync(scheduleId, cancellationToken);
}
