using GGnet.Core.Webhooks;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>What Hangfire runs for webhooks: one attempt per job, ids as arguments; the nightly clean-up of the delivery log.</summary>
public sealed class WebhookJobRunner(DeliverWebhook deliver, PruneWebhookDeliveries prune)
{
    /// <summary>Served by a job server of its own, so slow receivers never hold up sessions or images.</summary>
    public const string Queue = "webhooks";

    public const string RetentionJobId = "webhook-retention";

    // The attempt logs the receiver's failure and schedules the next one itself (with the configured back-off);
    // Hangfire retrying on top would make attempts nobody counted.
    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public Task DeliverAsync(Guid deliveryId, int attempt, CancellationToken cancellationToken) => deliver.ExecuteAsync(deliveryId, attempt, cancellationToken);

    [AutomaticRetry(Attempts = 2)]
    public Task PruneAsync(CancellationToken cancellationToken) => prune.ExecuteAsync(cancellationToken);
}
