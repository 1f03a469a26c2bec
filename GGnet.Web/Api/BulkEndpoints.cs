using GGnet.Core.Bulk;
using GGnet.Core.Domain.Sessions;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

/// <summary>Actions on many machines at once: ticked ones (machineIds) or a whole group (groupId). Each machine's outcome is reported.</summary>
public static class BulkEndpoints
{
    public sealed record SelectionInput(IReadOnlyList<int>? MachineIds, int? GroupId)
    {
        public MachineSelection Selection => new(MachineIds, GroupId);
    }

    public sealed record AssignGroupInput(IReadOnlyList<int>? MachineIds, int? GroupId);

    public sealed record StartManyInput(IReadOnlyList<int>? MachineIds, int? GroupId, int ImageId, SessionType Type = SessionType.Normal);

    public sealed record OutcomesDto(int Done, int Refused, IReadOnlyList<BulkOutcome> Results)
    {
        public static OutcomesDto From(IReadOnlyList<BulkOutcome> results) => new(results.Count(r => r.Done), results.Count(r => !r.Done), results);
    }

    public static void MapBulkEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/machines/wake", async (SelectionInput input, WakeMachines wake, HttpContext context, CancellationToken cancellationToken) =>
            OutcomesDto.From(await wake.ExecuteAsync(input.Selection, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithTags("Machines").WithSummary("Wake-on-LAN: a magic packet to each selected machine (machineIds, or groupId).");

        api.MapPost("/machines/assign-group", async (AssignGroupInput input, AssignGroup assign, HttpContext context, CancellationToken cancellationToken) =>
            OutcomesDto.From(await assign.ExecuteAsync(input.MachineIds ?? [], input.GroupId, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithTags("Machines").WithSummary("Move the ticked machines (machineIds) into a group (groupId), or out of any (groupId null).");

        api.MapPost("/sessions/start-many", async (StartManyInput input, StartSessions start, HttpContext context, CancellationToken cancellationToken) =>
            OutcomesDto.From(await start.ExecuteAsync(new MachineSelection(input.MachineIds, input.GroupId), input.ImageId, input.Type, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithTags("Sessions").WithSummary("Start a session on an image for each selected machine (machineIds, or groupId); each refusal says why.");

        api.MapPost("/sessions/stop-many", async (SelectionInput input, StopSessions stop, HttpContext context, CancellationToken cancellationToken) =>
            OutcomesDto.From(await stop.ExecuteAsync(input.Selection, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithTags("Sessions").WithSummary("Stop the sessions of the selected machines (machineIds, or groupId).");
    }
}
