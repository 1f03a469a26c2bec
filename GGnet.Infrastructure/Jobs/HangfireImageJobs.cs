using GGnet.Core.Ports;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

public sealed class HangfireImageJobs(IBackgroundJobClient jobs) : IImageJobs
{
    public void EnqueueConversion(int versionId, string node) =>
        jobs.Enqueue<ImageJobRunner>(NodeQueues.Images(node), runner => runner.ConvertAsync(versionId, CancellationToken.None));

    public void EnqueueTrial(int versionId, string node) =>
        jobs.Enqueue<ImageJobRunner>(NodeQueues.Images(node), runner => runner.TestAsync(versionId, CancellationToken.None));
}
