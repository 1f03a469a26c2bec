using GGnet.Core.Audit;
using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>The audit trail in a list, newest first.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly List<AuditEvent> _events = [];

    public IReadOnlyList<AuditEvent> Events => _events;

    public Task WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        _events.Insert(0, auditEvent);
        return Task.CompletedTask;
    }

    public Task<int> DeleteOlderThanAsync(DateTime before, CancellationToken cancellationToken) =>
        Task.FromResult(_events.RemoveAll(e => e.At < before));

    public Task<Page<AuditEvent>> ListAsync(AuditQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(new Page<AuditEvent>(_events.Skip(query.Page.Skip).Take(query.Page.SafePageSize).ToList(), _events.Count, query.Page.SafePageNumber, query.Page.SafePageSize));
}
