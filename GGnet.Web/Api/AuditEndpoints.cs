using GGnet.Core.Audit;
using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;

namespace GGnet.Web.Api;

public static class AuditEndpoints
{
    public sealed record AuditEventDto(long Id, DateTime At, string Actor, string Action, string EntityType, string? EntityId, string? Before, string? After)
    {
        public static AuditEventDto From(AuditEvent e) => new(e.Id, e.At, e.Actor, e.Action, e.EntityType, e.EntityId, e.Before, e.After);
    }

    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (ListAuditEvents list, CancellationToken cancellationToken,
            int page = 1, int pageSize = 50, string? actor = null, string? entityType = null, string? search = null, string? action = null,
            DateTime? from = null, DateTime? to = null) =>
        {
            var query = new AuditQuery(new PageRequest(page, pageSize), actor, entityType, search, action, from?.ToUniversalTime(), to?.ToUniversalTime());
            var result = await list.ExecuteAsync(query, cancellationToken);
            return new PageDto<AuditEventDto>(result.Items.Select(AuditEventDto.From).ToList(), result.TotalCount, result.PageNumber, result.PageSize);
        }).WithTags("Audit");
    }
}
