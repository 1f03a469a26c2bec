using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Errors;

namespace GGnet.Core.Webhooks;

/// <summary>An endpoint as typed: its URL, the events it receives (names, or "all"), and whether it is on (default yes).</summary>
public sealed record WebhookEndpointInput(string? Url, IReadOnlyList<string>? Events, bool? Enabled)
{
    public (WebhookUrl Url, WebhookEventFilter Events, bool Enabled) Parse()
    {
        var errors = new FieldErrors();
        if (!WebhookUrl.TryParse(Url, out var url, out var urlError))
        {
            errors.Add("url", urlError);
        }
        if (!WebhookEventFilter.TryParse(Events, out var events, out var eventsError))
        {
            errors.Add("events", eventsError);
        }
        errors.ThrowIfAny();
        return (url!, events!, Enabled ?? true);
    }
}
