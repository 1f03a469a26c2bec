using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Background jobs as component tests set them: one server running, nothing failed, unless told otherwise.</summary>
public sealed class SteadyJobs : IJobHealth
{
    public JobsStatus Status { get; set; } = new(1, 0, 0);

    public Task<JobsStatus> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(Status);
}
