using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>Keeps the delivery log bounded: deliveries (and their attempts) older than the policy's days go, every night.</summary>
public sealed class PruneWebhookDeliveries(IWebhookRepository webhooks, WebhookPolicy policy, TimeProvider clock)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        webhooks.DeleteDeliveriesOlderThanAsync(clock.GetUtcNow().UtcDateTime.AddDays(-policy.KeepDays), cancellationToken);
}
