using GGnet.Core.Audit;
using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;

namespace GGnet.Core.Ports;

/// <summary>Reads and writes the audit trail.</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    Task<Page<AuditEvent>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes the events recorded before then; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTime before, CancellationToken cancellationToken);
}
