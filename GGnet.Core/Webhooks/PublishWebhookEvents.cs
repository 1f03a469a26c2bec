using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>
/// Where events leave GGnet. Called right after a change is committed (by <see cref="Sessions.AfterSessionCommit"/> and
/// <see cref="Machines.AfterMachineCommit"/>), so an event is only ever about something that happened; each enabled
/// endpoint subscribed to it gets a delivery (the body fixed now), handed to a job. With no endpoint listening it costs
/// one query.
/// </summary>
public sealed class PublishWebhookEvents(IWebhookRepository webhooks, IWebhookJobs jobs, TimeProvider clock)
{
    /// <summary>
    /// Tells whoever listens for <paramref name="eventType"/> (<see cref="WebhookEventTypes"/>) that it happened then;
    /// <paramref name="data"/> is read only when someone listens.
    /// </summary>
    public async Task PublishAsync(string eventType, DateTime occurredAt, Func<Task<object>> data, CancellationToken cancellationToken)
    {
        var endpoints = (await webhooks.ListAsync(cancellationToken)).Where(e => e.Wants(eventType)).ToList();
        if (endpoints.Count == 0)
        {
            return;
        }
        var happened = new WebhookEvent(Guid.NewGuid(), eventType, occurredAt, await data());
        var body = happened.ToJson();
        var now = clock.GetUtcNow().UtcDateTime;
        var deliveries = endpoints.Select(e => new WebhookDelivery(Guid.NewGuid(), e.Id, happened.Id, happened.Type, body, now)).ToList();
        await webhooks.AddDeliveriesAsync(deliveries, cancellationToken);
        foreach (var delivery in deliveries)
        {
            jobs.EnqueueDelivery(delivery.Id);
        }
    }
}
