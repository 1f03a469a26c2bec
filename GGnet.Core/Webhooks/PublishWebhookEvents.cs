using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>
/// Where events leave GGnet. The use cases that change sessions and machines call this right after their change is
/// saved, so an event is only ever about something that happened; each enabled endpoint subscribed to it gets a
/// delivery (the body fixed now), handed to a job. With no endpoint listening it costs one query.
/// </summary>
public sealed class PublishWebhookEvents(IWebhookRepository webhooks, IWebhookJobs jobs, IImageRepository images, IMachineRepository machines, TimeProvider clock)
{
    /// <summary>The event a session's new state is: Ready, Online, Failed and Stopped are; the steps in between are not.</summary>
    public static string? TypeOf(SessionState state) => state switch
    {
        SessionState.Ready => WebhookEventTypes.SessionReady,
        SessionState.Online => WebhookEventTypes.SessionOnline,
        SessionState.Failed => WebhookEventTypes.SessionFailed,
        SessionState.Stopped => WebhookEventTypes.SessionStopped,
        _ => null,
    };

    /// <summary>Tells about the session's state just saved; <paramref name="type"/> overrides it (an online PC gone is Ready again, but session.offline).</summary>
    public async Task SessionChangedAsync(Session session, CancellationToken cancellationToken, string? type = null)
    {
        if ((type ?? TypeOf(session.State)) is not { } eventType || await ListenersAsync(eventType, cancellationToken) is not { Count: > 0 } endpoints)
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
