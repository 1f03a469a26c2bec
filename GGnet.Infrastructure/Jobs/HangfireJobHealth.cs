using GGnet.Core.Ports;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>Reads Hangfire's own bookkeeping: its servers' heartbeats and its failed and queued jobs.</summary>
public sealed class HangfireJobHealth(JobStorage storage, TimeProvider clock) : IJobHealth
{
    private static readonly TimeSpan Alive = TimeSpan.FromMinutes(1);

    public Task<JobsStatus> CheckAsync(CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        var now = clock.GetUtcNow().UtcDateTime;
        var live = monitoring.Servers().Count(s => s.Heartbeat is { } beat && now - beat < Alive);
        var waiting = monitoring.Queues().Sum(q => q.Length);
        return Task.FromResult(new JobsStatus(live, monitoring.FailedCount(), waiting));
    }
}
