using System.Globalization;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Ports;
using GGnet.Core.Schedules;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class ScheduleEndpoints
{
    public sealed record ScheduleDto(int Id, int GroupId, string At, ScheduleDays Days, ScheduleAction Action, int? ImageId, string Cron, int? WaveSize, int? WaveSeconds)
    {
        public static ScheduleDto From(Schedule s) =>
            new(s.Id, s.GroupId, s.At.ToString("HH:mm", CultureInfo.InvariantCulture), s.Days, s.Action, s.ImageId, s.Cron, s.WaveSize, s.WaveSeconds);
    }

    public static void MapScheduleEndpoints(this RouteGroupBuilder api)
    {
        var schedules = api.MapGroup("/schedules").WithTags("Schedules");

        schedules.MapGet("/", async (IScheduleRepository repository, CancellationToken cancellationToken) =>
            (await repository.ListAsync(cancellationToken)).Select(ScheduleDto.From).ToList());

        schedules.MapPost("/", async (ScheduleInput input, CreateSchedule create, HttpContext context, CancellationToken cancellationToken) =>
        {
            var schedule = await create.ExecuteAsync(input, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/schedules/{schedule.Id}", ScheduleDto.From(schedule));
        }).RequireAuthorization(Policies.CanOperate)
            .WithSummary("Act on a group at a time of day (server time): {groupId, at: \"09:00\", days: \"weekdays\" | \"every\" | \"mon,sat\", action: wake | startAndWake | stopSessions, imageId, "
                + "waveSize?, waveSeconds?} (waves: waveSize PCs woken at a time, waveSeconds apart, or each once the last is online).");

        schedules.MapDelete("/{id:int}", async (int id, DeleteSchedule delete, HttpContext context, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate);

        schedules.MapPost("/{id:int}/run", async (int id, RunSchedule run, CancellationToken cancellationToken) =>
            BulkEndpoints.OutcomesDto.From(await run.ExecuteAsync(id, cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithSummary("Run a schedule now; each machine's outcome.");
    }
}
