namespace GGnet.Core.Ports;

/// <summary>How the background jobs (provisioning, conversions, schedules) are doing.</summary>
public interface IJobHealth
{
    Task<JobsStatus> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Job servers that answered in the last minute, jobs that failed for good, jobs waiting to run.</summary>
public sealed record JobsStatus(int LiveServers, long Failed, long Waiting);
