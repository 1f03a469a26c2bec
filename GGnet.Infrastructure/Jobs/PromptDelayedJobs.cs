using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// Delayed jobs this node schedules (a schedule's next boot wave, a webhook's next attempt) are moved to their queue by a
/// timer here the moment they are due, not at the job server's next look for due jobs: that look takes a lock in the job
/// store with writes, so it runs every few seconds (<see cref="JobsSetup"/>) rather than every second. The job is stored
/// scheduled as before, so one due while GGnet was down, or scheduled by Hangfire itself (a retry), is still found by
/// that look; a job already moved by it is left alone (the move only happens from Scheduled).
/// </summary>
public sealed class PromptDelayedJobs(IBackgroundJobClient jobs, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<PromptDelayedJobs> logger)
{
    // Longer delays are left to the server's look: a few seconds late is nothing after an hour.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromHours(1);

    /// <summary>Stores <paramref name="job"/> to run after <paramref name="delay"/>, on its queue; returns its id.</summary>
    public string Schedule(Job job, TimeSpan delay)
    {
        var id = jobs.Create(job, new ScheduledState(delay));
        if (delay <= LongestTimer)
        {
            _ = EnqueueWhenDueAsync(id, job.Queue ?? EnqueuedState.DefaultQueue, delay);
        }
        return id;
    }

    private async Task EnqueueWhenDueAsync(string id, string queue, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, clock, lifetime.ApplicationStopping);
            jobs.ChangeState(id, new EnqueuedState(queue), ScheduledState.StateName);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception problem)
        {
            // Still scheduled in the store: the server's next look for due jobs enqueues it.
            logger.LogWarning("Job {JobId} was due but could not be queued at once ({Reason}); the job server queues it at its next look", id, problem.Message);
        }
    }
}
