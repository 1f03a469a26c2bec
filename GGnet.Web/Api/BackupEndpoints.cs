using GGnet.Core.Backups;
using GGnet.Core.Ports;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class BackupEndpoints
{
    public static void MapBackupEndpoints(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("/backups").WithTags("Backups").RequireAuthorization(Policies.AdminOnly);

        backups.MapGet("/", (IBackupArchive archive) => archive.List())
            .WithSummary("The backups kept, newest first (name, time, size).");

        backups.MapPost("/", async (BackUp backUp, HttpContext context, CancellationToken cancellationToken) =>
        {
            var backup = await backUp.ExecuteAsync(context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/backups/{backup.Name}", backup);
        }).WithSummary("Back up now: the database, the saved settings and the login keys in one archive; older ones beyond Backup:Keep go.");

        backups.MapGet("/{name}", (string name, IBackupArchive archive) =>
            archive.PathOf(name) is { } path
                ? Results.File(path, "application/gzip", name)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"There is no backup named '{name}'."))
            .WithSummary("Download one backup archive.");
    }
}
