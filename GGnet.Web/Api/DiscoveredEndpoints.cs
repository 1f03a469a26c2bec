using GGnet.Core.Boot;
using GGnet.Core.Domain.Machines;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class DiscoveredEndpoints
{
    public sealed record DiscoveredPcDto(string MacAddress, DateTime FirstSeen, DateTime LastSeen, string? IpAddress, Firmware? Firmware, int Requests)
    {
        public static DiscoveredPcDto From(DiscoveredPc pc) =>
            new(pc.MacAddress.Value, pc.FirstSeen, pc.LastSeen, pc.LastIpAddress?.Value, pc.Firmware, pc.RequestCount);
    }

    public sealed record ApproveInput(string? Name, int? GroupId);

    public static void MapDiscoveredEndpoints(this RouteGroupBuilder api)
    {
        var discovered = api.MapGroup("/discovered").WithTags("Discovered");

        discovered.MapGet("/", async (int? page, int? pageSize, ListDiscoveredPcs list, CancellationToken cancellationToken) =>
        {
            var result = await list.ExecuteAsync(new GGnet.Core.Common.PageRequest(page ?? 1, pageSize ?? 25), cancellationToken);
            return new PageDto<DiscoveredPcDto>(result.Items.Select(DiscoveredPcDto.From).ToList(), result.TotalCount, result.PageNumber, result.PageSize);
        })
        .WithSummary("A page of the PCs that asked to boot but are not registered, the one seen last first.");

        discovered.MapPost("/{mac}/approve", async (string mac, ApproveInput? input, ApproveDiscoveredPc approve, HttpContext context, CancellationToken cancellationToken) =>
        {
            var machine = await approve.ExecuteAsync(mac, input?.Name, input?.GroupId, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/machines/{machine.Id}", MachineDto.From(machine));
        }).RequireAuthorization(Policies.CanOperate);
    }
}
