using GGnet.Core.Ports;
using Hangfire;
using Hangfire.Common;

namespace GGnet.Infrastructure.Jobs;

public sealed class HangfireWebhookJobs(IBackgroundJobClient jobs, PromptDelayedJobs delayed) : IWebhookJobs
{
    public void EnqueueDelivery(Guid deliveryId) =>
        jobs.Enqueue<WebhookJobRunner>(WebhookJobRunner.Queue, runner => runner.DeliverAsync(deliveryId, 1, CancellationToken.None));

    public void ScheduleDelivery(Guid deliveryId, int attempt, TimeSpan delay) =>
        delayed.Schedule(Job.FromExpression<WebhookJobRunner>(runner => runner.DeliverAsync(deliveryId, attempt, CancellationToken.None), WebhookJobRunner.Queue), delay);
}
