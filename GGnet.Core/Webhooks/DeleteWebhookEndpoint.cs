using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>Removes an endpoint with its delivery log; attempts still due are not made.</summary>
public sealed class DeleteWebhookEndpoint(IWebhookRepository webhooks, TimeProvider clock)
{
    public async Task ExecuteAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var endpoint = await webhooks.FindAsync(id, cancellationToken) ?? throw UpdateWebhookEndpoint.Missing(id);
        await webhooks.DeleteAsync(endpoint,
            new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.WebhookDeleted, "webhook", id.ToString(CultureInfo.InvariantCulture), endpoint.Summary(), null),
            cancellationToken);
    }
}
