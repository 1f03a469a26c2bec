using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class GroupEndpoints
{
    public sealed record GroupDto(int Id, string Name, string? Description, int MachineCount = 0)
    {
        /// <summary>The data images every session of the group's machines gets copies of.</summary>
        public IReadOnlyList<int> DataImageIds { get; init; } = [];

        public static GroupDto From(GGnet.Core.Domain.Machines.MachineGroup group, int machineCount = 0) =>
            new(group.Id, group.Name, group.Description, machineCount) { DataImageIds = group.DataImageIds };
    }

    public sealed record GroupInput(string? Name, string? Description);

    public static void MapGroupEndpoints(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("Groups");

        groups.MapGet("/", async (IMachineGroupRepository repository, CancellationToken cancellationToken) =>
        {
            var counts = await repository.CountMachinesAsync(cancellationToken);
            return (await repository.ListAsync(cancellationToken)).Select(g => GroupDto.From(g, counts.GetValueOrDefault(g.Id)));
        });

        groups.MapPost("/", async (GroupInput input, CreateMachineGroup create, HttpContext context, CancellationToken cancellationToken) =>
        {
            var group = await create.ExecuteAsync(input.Name, input.Description, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/groups/{group.Id}", GroupDto.From(group));
        }).RequireAuthorization(Policies.CanOperate);

        groups.MapPut("/{id:int}", async (int id, GroupInput input, RenameMachineGroup rename, HttpContext context, CancellationToken cancellationToken) =>
        {
            var group = await rename.ExecuteAsync(id, input.Name, input.Description, context.Actor(), cancellationToken);
            return GroupDto.From(group);
        }).RequireAuthorization(Policies.CanOperate);

        groups.MapPut("/{id:int}/data-images", async (int id, DataImagesInput input, AttachDataImages attach, HttpContext context, CancellationToken cancellationToken) =>
            GroupDto.From(await attach.ToGroupAsync(id, input.ImageIds, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate)
            .WithSummary("Set the data images (game libraries) every session of the group's machines gets its own copies of; the next sessions get them.");

        groups.MapDelete("/{id:int}", async (int id, DeleteMachineGroup delete, HttpContext context, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate);
    }
}
