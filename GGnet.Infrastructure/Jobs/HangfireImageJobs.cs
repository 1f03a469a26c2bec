using GGnet.Core.Ports;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

public sealed class HangfireImageJobs(IBackgroundJobClient jobs) : IImageJobs
{
    public void EnqueueConversion(int versionId) => jobs.Enqueue<ImageJobRunner>(ImageJobRunner.Queue, runner => runner.ConvertAsync(versionId, CancellationToken.None));
}
