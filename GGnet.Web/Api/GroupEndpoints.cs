using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class GroupEndpoints
{
    public sealed record GroupDto(int Id, string Name, string? Description);

    public sealed record GroupInput(string? Name, string? Description);

    public static void MapGroupEndpoints(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("Groups");

        groups.MapGet("/", async (IMachineGroupRepository repository, CancellationToken cancellationToken) =>
            (await repository.ListAsync(cancellationToken)).Select(g => new GroupDto(g.Id, g.Name, g.Description)));

        groups.MapPost("/", async (GroupInput input, CreateMachineGroup create, HttpContext context, CancellationToken cancellationToken) =>
        {
            var group = await create.ExecuteAsync(input.Name, input.Description, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/groups/{group.Id}", new GroupDto(group.Id, group.Name, group.Description));
        }).RequireAuthorization(Policies.CanOperate);
    }
}
