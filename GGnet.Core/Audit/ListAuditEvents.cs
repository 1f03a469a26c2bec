using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Audit;

public sealed class ListAuditEvents(IAuditLog auditLog)
{
    public Task<Page<AuditEvent>> ExecuteAsync(AuditQuery query, CancellationToken cancellationToken) =>
        auditLog.ListAsync(query, cancellationToken);
}
