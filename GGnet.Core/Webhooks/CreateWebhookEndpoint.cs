using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>Adds an endpoint with a new signing secret, kept encrypted; the secret is returned once, for the admin to copy to the receiver.</summary>
public sealed class CreateWebhookEndpoint(IWebhookRepository webhooks, ISecretProtector protector, TimeProvider clock)
{
    public async Task<(WebhookEndpoint Endpoint, string Secret)> ExecuteAsync(WebhookEndpointInput input, string actor, CancellationToken cancellationToken)
    {
        var (url, events, enabled) = input.Parse();
        var secret = WebhookSignature.NewSecret();
        var now = clock.GetUtcNow().UtcDateTime;
        var endpoint = new WebhookEndpoint(url, events, enabled, protector.Protect(secret), now);
        await webhooks.AddAsync(
            endpoint,
            saved => new AuditEvent(now, actor, AuditActions.WebhookCreated, "webhook", saved.Id.ToString(CultureInfo.InvariantCulture), null, saved.Summary()),
            cancellationToken);
        return (endpoint, secret);
    }
}
