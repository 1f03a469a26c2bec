namespace GGnet.Core.Domain.Webhooks;

/// <summary>A system (billing, café management) that GGnet tells about events by signed HTTP POSTs.</summary>
public sealed class WebhookEndpoint
{
    private WebhookEndpoint()
    {
        Url = null!;
        Events = null!;
        ProtectedSecret = "";
    }

    public WebhookEndpoint(WebhookUrl url, WebhookEventFilter events, bool enabled, string protectedSecret, DateTime createdAt)
    {
        Url = url;
        Events = events;
        Enabled = enabled;
        ProtectedSecret = protectedSecret;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public WebhookUrl Url { get; private set; }

    public WebhookEventFilter Events { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>The signing secret, encrypted; only the sender and an admin who asks see it in clear.</summary>
    public string ProtectedSecret { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public bool Wants(string eventType) => Enabled && Events.Matches(eventType);

    public void Change(WebhookUrl url, WebhookEventFilter events, bool enabled)
    {
        Url = url;
        Events = events;
        Enabled = enabled;
    }

    /// <summary>What the audit records: never the secret.</summary>
    /// <summary>What the audit records of the endpoint: never the whole URL (see <see cref="WebhookUrl.Shown"/>).</summary>
    public string Summary() => $"url={Url.Shown} events={Events} enabled={(Enabled ? "yes" : "no")}";
}
