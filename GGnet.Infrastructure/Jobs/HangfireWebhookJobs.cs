using GGnet.Core.Ports;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

public sealed class HangfireWebhookJobs(IBackgroundJobClient jobs) : IWebhookJobs
{
    public void EnqueueDelivery(Guid deliveryId) =>
        jobs.Enqueue<WebhookJobRunner>(WebhookJobRunner.Queue, runner => runner.DeliverAsync(deliveryId, 1, CancellationToken.None));

    public void ScheduleDelivery(Guid deliveryId, int attempt, TimeSpan delay) =>
        jobs.Schedule<WebhookJobRunner>(WebhookJobRunner.Queue, runner => runner.DeliverAsync(deliveryId, attempt, CancellationToken.None), delay);
}
