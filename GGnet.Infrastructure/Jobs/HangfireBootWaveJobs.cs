using GGnet.Core.Ports;
using GGnet.Core.Schedules;
using Hangfire.Common;

namespace GGnet.Infrastructure.Jobs;

/// <summary>A schedule's later boot waves: delayed Hangfire jobs on the shared queue, each scheduling the next.</summary>
public sealed class HangfireBootWaveJobs(PromptDelayedJobs jobs) : IBootWaveJobs
{
    public void Schedule(BootWavePlan plan, int wave, DateTime lastWokenAt, TimeSpan delay) =>
        jobs.Schedule(Job.FromExpression<BootWaveRunner>(runner => runner.RunAsync(plan, wave, lastWokenAt, CancellationToken.None), NodeQueues.Shared), delay);
}
