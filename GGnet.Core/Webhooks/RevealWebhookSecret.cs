using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>An endpoint's signing secret in clear, for an admin setting up the receiver again; each look is audited (never the secret itself).</summary>
public sealed class RevealWebhookSecret(IWebhookRepository webhooks, ISecretProtector protector, IAuditLog audit, TimeProvider clock)
{
    public async Task<string> ExecuteAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var endpoint = await webhooks.FindAsync(id, cancellationToken) ?? throw UpdateWebhookEndpoint.Missing(id);
        var secret = protector.Unprotect(endpoint.ProtectedSecret);
        await audit.WriteAsync(
            new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.WebhookSecretShown, "webhook", id.ToString(CultureInfo.InvariantCulture), null, $"secret shown for {endpoint.Url}"),
            cancellationToken);
        return secret;
    }
}
