using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Webhooks;

namespace GGnet.Core.Ports;

/// <summary>Where webhook endpoints, their deliveries and every attempt live. Endpoint changes are saved with their audit event.</summary>
public interface IWebhookRepository
{
    Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken cancellationToken);

    Task<WebhookEndpoint?> FindAsync(int id, CancellationToken cancellationToken);

    Task AddAsync(WebhookEndpoint endpoint, Func<WebhookEndpoint, AuditEvent> audit, CancellationToken cancellationToken);

    Task UpdateAsync(WebhookEndpoint endpoint, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Removes the endpoint with its deliveries and their attempts.</summary>
    Task DeleteAsync(WebhookEndpoint endpoint, AuditEvent audit, CancellationToken cancellationToken);

    Task AddDeliveriesAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken);

    Task<WebhookDelivery?> FindDeliveryAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Saves the delivery's new state together with the attempt that led to it (none when it was given up).</summary>
    Task SaveAttemptAsync(WebhookDelivery delivery, WebhookAttempt? attempt, CancellationToken cancellationToken);

    /// <summary>The endpoint's latest attempts, newest first.</summary>
    Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(int endpointId, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes deliveries (and their attempts) made before then; returns how many.</summary>
    Task<int> DeleteDeliveriesOlderThanAsync(DateTime before, CancellationToken cancellationToken);
}
