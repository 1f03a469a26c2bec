namespace GGnet.Core.Ports;

/// <summary>Sends one signed webhook request; never throws for the receiver's faults, it reports them.</summary>
public interface IWebhookSender
{
    Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken);
}

/// <summary>A POST of <paramref name="Body"/> (UTF-8 JSON, byte for byte what was signed) with these headers.</summary>
public sealed record WebhookRequest(Uri Url, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>The receiver's status code, or why it gave none (<paramref name="Error"/>, a sentence), and how long it took.</summary>
public sealed record WebhookResponse(int? StatusCode, string? Error, TimeSpan Duration);
