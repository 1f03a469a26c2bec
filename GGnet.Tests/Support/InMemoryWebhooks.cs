using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Webhook endpoints, deliveries and attempts in lists, and a job queue that only remembers what was enqueued.</summary>
public sealed class InMemoryWebhooks : IWebhookRepository, IWebhookJobs
{
    private readonly List<WebhookEndpoint> _endpoints = [];
    private readonly List<WebhookDelivery> _deliveries = [];
    private readonly List<WebhookAttempt> _attempts = [];

    public List<Guid> Enqueued { get; } = [];

    public IReadOnlyList<WebhookDelivery> Deliveries => _deliveries;

    public Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<WebhookEndpoint>>([.. _endpoints]);

    public Task<WebhookEndpoint?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult(_endpoints.FirstOrDefault(e => e.Id == id));

    public Task AddAsync(WebhookEndpoint endpoint, Func<WebhookEndpoint, AuditEvent> audit, CancellationToken cancellationToken)
    {
        typeof(WebhookEndpoint).GetProperty(nameof(WebhookEndpoint.Id))!.SetValue(endpoint, _endpoints.Count + 1);
        _endpoints.Add(endpoint);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(WebhookEndpoint endpoint, AuditEvent audit, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(WebhookEndpoint endpoint, AuditEvent audit, CancellationToken cancellationToken)
    {
        _endpoints.RemoveAll(e => e.Id == endpoint.Id);
        return Task.CompletedTask;
    }

    public Task AddDeliveriesAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        _deliveries.AddRange(deliveries);
        return Task.CompletedTask;
    }

    public Task<WebhookDelivery?> FindDeliveryAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_deliveries.FirstOrDefault(d => d.Id == id));

    public Task SaveAttemptAsync(WebhookDelivery delivery, WebhookAttempt? attempt, CancellationToken cancellationToken)
    {
        if (attempt is not null)
        {
            typeof(WebhookAttempt).GetProperty(nameof(WebhookAttempt.Id))!.SetValue(attempt, (long)_attempts.Count + 1);
            _attempts.Add(attempt);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(int endpointId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WebhookAttempt>>([.. _attempts.Where(a => a.EndpointId == endpointId).OrderByDescending(a => a.Id).Take(limit)]);

    public Task<int> DeleteDeliveriesOlderThanAsync(DateTime before, CancellationToken cancellationToken) => Task.FromResult(0);

    public void EnqueueDelivery(Guid deliveryId) => Enqueued.Add(deliveryId);

    public void ScheduleDelivery(Guid deliveryId, int attempt, TimeSpan delay) => Enqueued.Add(deliveryId);
}
