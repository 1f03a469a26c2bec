namespace GGnet.Core.Domain.Webhooks;

/// <summary>Where a delivery stands: attempts still to come, or done for good.</summary>
public enum WebhookDeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One event on its way to one endpoint: the exact body that is signed and sent (the same on every attempt, so the
/// receiver can tell a retry by its delivery id) and how far it got.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
        EventType = "";
        Body = "";
    }

    public WebhookDelivery(Guid id, int endpointId, Guid eventId, string eventType, string body, DateTime createdAt)
    {
        Id = id;
        EndpointId = endpointId;
        EventId = eventId;
        EventType = eventType;
        Body = body;
        CreatedAt = createdAt;
        State = WebhookDeliveryState.Pending;
    }

    public Guid Id { get; private set; }

    public int EndpointId { get; private set; }

    public Guid EventId { get; private set; }

    public string EventType { get; private set; }

    public string Body { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public WebhookDeliveryState State { get; private set; }

    /// <summary>How many attempts were made so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Counts an attempt: a 2xx answer delivers; anything else leaves the delivery pending, or failed after the last chance.</summary>
    public WebhookAttempt Record(int? statusCode, string? error, TimeSpan duration, DateTime at, bool lastChance)
    {
        Attempts++;
        var succeeded = statusCode is >= 200 and < 300;
        State = succeeded ? WebhookDeliveryState.Delivered : lastChance ? WebhookDeliveryState.Failed : WebhookDeliveryState.Pending;
        return new WebhookAttempt(Id, EndpointId, EventType, Attempts, at, statusCode, error, (int)Math.Round(duration.TotalMilliseconds), succeeded);
    }

    /// <summary>The endpoint was switched off while attempts were still to come: no more are made.</summary>
    public void GiveUp() => State = WebhookDeliveryState.Failed;
}
