using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>Changes an endpoint's URL, events or enabled flag; the secret stays. Attempts still due for a switched-off endpoint are not made.</summary>
public sealed class UpdateWebhookEndpoint(IWebhookRepository webhooks, TimeProvider clock)
{
    public async Task<WebhookEndpoint> ExecuteAsync(int id, WebhookEndpointInput input, string actor, CancellationToken cancellationToken)
    {
        var (url, events, enabled) = input.Parse();
        var endpoint = await webhooks.FindAsync(id, cancellationToken) ?? throw Missing(id);
        var before = endpoint.Summary();
        endpoint.Change(url, events, enabled);
        if (endpoint.Summary() != before)
        {
            await webhooks.UpdateAsync(endpoint,
                new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.WebhookUpdated, "webhook", id.ToString(CultureInfo.InvariantCulture), before, endpoint.Summary()),
                cancellationToken);
        }
        return endpoint;
    }

    internal static NotFoundException Missing(int id) => new($"There is no webhook endpoint with id {id}.");
}
