namespace GGnet.Core.Domain.Webhooks;

/// <summary>One try to deliver an event: what the receiver answered (or why there was no answer) and how long it took.</summary>
public sealed class WebhookAttempt
{
    public const int MaxErrorLength = 500;

    private WebhookAttempt()
    {
        EventType = "";
    }

    public WebhookAttempt(Guid deliveryId, int endpointId, string eventType, int number, DateTime at, int? statusCode, string? error, int durationMilliseconds, bool succeeded)
    {
        DeliveryId = deliveryId;
        EndpointId = endpointId;
        EventType = eventType;
        Number = number;
        At = at;
        StatusCode = statusCode;
        Error = error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
        DurationMilliseconds = durationMilliseconds;
        Succeeded = succeeded;
    }

    public long Id { get; private set; }

    public Guid DeliveryId { get; private set; }

    public int EndpointId { get; private set; }

    public string EventType { get; private set; }

    /// <summary>1 for the first try, 2 for the first retry, …</summary>
    public int Number { get; private set; }

    public DateTime At { get; private set; }

    /// <summary>The receiver's HTTP status; null when it never answered.</summary>
    public int? StatusCode { get; private set; }

    /// <summary>Why there was no answer (timeout, refused connection), as a sentence.</summary>
    public string? Error { get; private set; }

    public int DurationMilliseconds { get; private set; }

    public bool Succeeded { get; private set; }
}
