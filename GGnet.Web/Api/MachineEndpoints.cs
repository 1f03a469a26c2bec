using GGnet.Core.Common;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class MachineEndpoints
{
    public static void MapMachineEndpoints(this RouteGroupBuilder api)
    {
        var machines = api.MapGroup("/machines").WithTags("Machines");

        machines.MapGet("/", async (ListMachines list, CancellationToken cancellationToken,
            int page = 1, int pageSize = 25, string? search = null, int? groupId = null, bool? enabled = null, string? sortBy = null, bool descending = false) =>
        {
            var sort = MachineSortField.Name;
            if (sortBy is not null && !Enum.TryParse(sortBy, ignoreCase: true, out sort))
            {
                throw new InvalidInputException(new Dictionary<string, string[]>
                {
                    ["sortBy"] = [$"Sort by one of: {string.Join(", ", Enum.GetNames<MachineSortField>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}."],
                });
            }
            var result = await list.ExecuteAsync(new MachineQuery(new PageRequest(page, pageSize), sort, descending, search, groupId, enabled), cancellationToken);
            return new PageDto<MachineDto>(result.Items.Select(MachineDto.From).ToList(), result.TotalCount, result.PageNumber, result.PageSize);
        });

        machines.MapGet("/{id:int}", async (int id, GetMachine get, CancellationToken cancellationToken) =>
            MachineDto.From(await get.ExecuteAsync(id, cancellationToken)));

        machines.MapPost("/", async (MachineInput input, CreateMachine create, HttpContext context, CancellationToken cancellationToken) =>
        {
            var machine = await create.ExecuteAsync(input, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/machines/{machine.Id}", MachineDto.From(machine));
        }).RequireAuthorization(Policies.CanOperate);

        machines.MapPut("/{id:int}", async (int id, MachineInput input, UpdateMachine update, HttpContext context, CancellationToken cancellationToken) =>
            MachineDto.From(await update.ExecuteAsync(id, input, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate);

        machines.MapPut("/{id:int}/data-images", async (int id, DataImagesInput input, AttachDataImages attach, HttpContext context, CancellationToken cancellationToken) =>
            MachineDto.From(await attach.ToMachineAsync(id, input.ImageIds, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate)
            .WithSummary("Set the data images (game libraries) the machine's sessions get their own copies of, beside the system; its next session gets them.");

        machines.MapDelete("/{id:int}", async (int id, DeleteMachine delete, HttpContext context, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, context.Actor(), context.User.IsInRole(GGnet.Core.Domain.Roles.Admin), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate);

        machines.MapGet("/export.csv", async (ExportMachines export, CancellationToken cancellationToken) =>
            Results.File(System.Text.Encoding.UTF8.GetBytes(await export.ExecuteAsync(cancellationToken)), "text/csv; charset=utf-8", "machines.csv"))
            .WithSummary("Every machine as CSV (name, mac, ip, group, firmware, …), in the columns the import reads back.");

        // The body is the CSV file itself (at most 5 MB).
        machines.MapPost("/import", async (HttpContext context, ImportMachines import, CancellationToken cancellationToken) =>
        {
            const int MaxBytes = 5 << 20;
            if (context.Request.ContentLength > MaxBytes)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: "A machine list is at most 5 MB; split it.");
            }
            using var reader = new StreamReader(context.Request.Body, System.Text.Encoding.UTF8);
            var buffer = new char[MaxBytes + 1];
            var length = await reader.ReadBlockAsync(buffer, cancellationToken);
            if (length > MaxBytes)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: "A machine list is at most 5 MB; split it.");
            }
            var report = await import.ExecuteAsync(new string(buffer, 0, length), context.Actor(), cancellationToken);
            return report.Succeeded ? Results.Ok(report) : Results.UnprocessableEntity(report);
        }).RequireAuthorization(Policies.CanOperate)
            .WithSummary("Import machines from CSV (body: the file). All rows or none: 422 with each rejected line and why.");
    }
}
