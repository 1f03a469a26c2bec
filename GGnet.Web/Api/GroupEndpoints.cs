using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class GroupEndpoints
{
    public sealed record GroupDto(int Id, string Name, string? Description, int MachineCount = 0);

    public sealed record GroupInput(string? Name, string? Description);

    public static void MapGroupEndpoints(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("Groups");

        groups.MapGet("/", async (IMachineGroupRepository repository, CancellationToken cancellationToken) =>
        {
            var counts = await repository.CountMachinesAsync(cancellationToken);
            return (await repository.ListAsync(cancellationToken)).Select(g => new GroupDto(g.Id, g.Name, g.Description, counts.GetValueOrDefault(g.Id)));
        });

        groups.MapPost("/", async (GroupInput input, CreateMachineGroup create, HttpContext context, CancellationToken cancellationToken) =>
        {
            var group = await create.ExecuteAsync(input.Name, input.Description, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/groups/{group.Id}", new GroupDto(group.Id, group.Name, group.Description));
        }).RequireAuthorization(Policies.CanOperate);

        groups.MapPut("/{id:int}", async (int id, GroupInput input, RenameMachineGroup rename, HttpContext context, CancellationToken cancellationToken) =>
        {
            var group = await rename.ExecuteAsync(id, input.Name, input.Description, context.Actor(), cancellationToken);
            return new GroupDto(group.Id, group.Name, group.Description);
        }).RequireAuthorization(Policies.CanOperate);

        groups.MapDelete("/{id:int}", async (int id, DeleteMachineGroup delete, HttpContext context, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate);
    }
}
