using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>
/// Where events leave GGnet. Called right after a change is saved (sessions' by <see cref="Sessions.AfterSessionCommit"/>,
/// machines' by their use cases), so an event is only ever about something that happened; each enabled endpoint subscribed to it gets a
/// delivery (the body fixed now), handed to a job. With no endpoint listening it costs one query.
/// </summary>
public sealed class PublishWebhookEvents(IWebhookRepository webhooks, IWebhookJobs jobs, IImageRepository images, IMachineRepository machines, TimeProvider clock)
{
    /// <summary>Tells about the session as just saved: <paramref name="eventType"/> is what happened (<see cref="SessionEvent.WebhookType"/>).</summary>
    public async Task SessionChangedAsync(Session session, string eventType, CancellationToken cancellationToken)
    {
        if (await ListenersAsync(eventType, cancellationToken) is not { Count: > 0 } endpoints)
        {
            return;
        }
        var machine = await machines.FindAsync(session.MachineId, cancellationToken);
        var version = await images.FindVersionAsync(session.ImageVersionId, cancellationToken);
        var image = version is null ? null : await images.FindAsync(version.ImageId, cancellationToken);
        var data = new SessionEventData(
            session.Id, session.Type.ToString().ToLowerInvariant(), session.State.ToString().ToLowerInvariant(), session.MachineId,
            machine?.Name.Value, machine?.MacAddress.Value, image is null ? null : ImageVersion.Label(image.Name, version!.Number), session.FailureReason);
        await DeliverAsync(endpoints, new WebhookEvent(Guid.NewGuid(), eventType, session.UpdatedAt, data), cancellationToken);
    }

    /// <summary>Tells that a machine was created, updated or deleted (<see cref="WebhookEventTypes"/>).</summary>
    public async Task MachineChangedAsync(string eventType, Machine machine, CancellationToken cancellationToken)
    {
        if (await ListenersAsync(eventType, cancellationToken) is not { Count: > 0 } endpoints)
        {
            return;
        }
        var data = new MachineEventData(machine.Id, machine.Name.Value, machine.MacAddress.Value, machine.IpAddress?.Value, machine.GroupId, machine.Enabled);
        await DeliverAsync(endpoints, new WebhookEvent(Guid.NewGuid(), eventType, clock.GetUtcNow().UtcDateTime, data), cancellationToken);
    }

    private async Task<List<WebhookEndpoint>> ListenersAsync(string eventType, CancellationToken cancellationToken) =>
        (await webhooks.ListAsync(cancellationToken)).Where(e => e.Wants(eventType)).ToList();

    private async Task DeliverAsync(IReadOnlyList<WebhookEndpoint> endpoints, WebhookEvent happened, CancellationToken cancellationToken)
    {
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
