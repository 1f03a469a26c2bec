using GGnet.Core.Boot;
using GGnet.Core.Common;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Sessions;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class SessionEndpoints
{
    public sealed record StartInput(int MachineId, int ImageId, SessionType Type = SessionType.Normal, string? InstallFrom = null, int? BootWith = null);

    public sealed record SessionDto(
        int Id, int MachineId, int ImageVersionId, SessionType Type, SessionState State, string? FailureReason,
        DateTime CreatedAt, DateTime UpdatedAt, DateTime? ReadyAt, DateTime? OnlineAt, DateTime? OsTookOverAt, DateTime? EndedAt, string? TargetIqn, bool ChangesWaiting, string Node)
    {
        /// <summary>An install session's ISO (a file of the import folder); null for every other session.</summary>
        public string? InstallFrom { get; init; }

        /// <summary>While provisioning with a full copy: how far the copy is (percent).</summary>
        public double? CopyProgress { get; init; }

        /// <summary>The data image versions the session has its own copies of, on the LUNs after its disk (empty: none).</summary>
        public IReadOnlyList<int> DataImageVersionIds { get; init; } = [];

        /// <summary>What the session wrote beyond its images, as last measured (bytes), and when it reached 80 % of its write quota.</summary>
        public long? OwnBytes { get; init; }

        public DateTime? SpaceLowAt { get; init; }

        /// <summary>Updating a data image: the system image version its PC boots from a throwaway copy; null otherwise.</summary>
        public int? SystemCopyVersionId { get; init; }

        /// <summary>Why GGnet stopped the session by itself (past its image's write quota); null when someone stopped it.</summary>
        public string? StopReason { get; init; }

        public static SessionDto From(Session s) => new(
            s.Id, s.MachineId, s.ImageVersionId, s.Type, s.State, s.FailureReason, s.CreatedAt, s.UpdatedAt, s.ReadyAt, s.OnlineAt, s.OsTookOverAt, s.EndedAt,
            s.Target?.Iqn.Value, s.KeptDiskPath is not null && !s.IsActive, s.NodeName)
        {
            InstallFrom = s.InstallMedium,
            DataImageVersionIds = s.DataImageVersionIds,
            SystemCopyVersionId = s.SystemCopyVersionId,
            OwnBytes = s.OwnBytes,
            SpaceLowAt = s.SpaceLowAt,
            StopReason = s.StopReason,
        };

        public static SessionDto From(Session s, ProvisioningProgress progress) => From(s) with { CopyProgress = progress.Of(s.Id) };
    }

    public sealed record StatsDto(IReadOnlyDictionary<SessionState, int> ByState, double? MedianBootSeconds, double? LongestBootSeconds);

    public static void MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags("Sessions");

        sessions.MapPost("/start", async (StartInput input, StartSession start, HttpContext context, CancellationToken cancellationToken) =>
        {
            var session = await start.ExecuteAsync(new StartSessionRequest(input.MachineId, input.ImageId, input.Type, input.InstallFrom, input.BootWith), context.Actor(), cancellationToken);
            return Results.Accepted($"/api/v1/sessions/{session.Id}", SessionDto.From(session));
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Start a session; it is provisioned in the background (watch its state). " +
            "A maintenance session with installFrom (an .iso of the import folder) boots that installer with the session's disk hooked; "
            + "a maintenance session of a data image boots the system image bootWith, the data image's disk beside it.");

        sessions.MapPost("/{id:int}/stop", async (int id, StopSession stop, HttpContext context, CancellationToken cancellationToken, bool force = false) =>
            Results.Accepted($"/api/v1/sessions/{id}", SessionDto.From(await stop.ExecuteAsync(id, context.Actor(), cancellationToken, force))))
            .RequireAuthorization(Policies.CanOperate);

        sessions.MapPost("/{id:int}/commit", async (int id, GGnet.Core.Images.CommitMaintenance commit, HttpContext context, CancellationToken cancellationToken) =>
        {
            var version = await commit.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.Ok(new { imageId = version.ImageId, versionId = version.Id, number = version.Number });
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Commit a stopped maintenance session's disk as its image's next version (made current).");

        sessions.MapPost("/{id:int}/discard", async (int id, GGnet.Core.Images.DiscardMaintenance discard, HttpContext context, CancellationToken cancellationToken) =>
        {
            await discard.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Throw a stopped maintenance session's changes away.");

        sessions.MapPost("/{id:int}/purge-disk", async (int id, GGnet.Core.Images.PurgeKeptDisk purge, HttpContext context, CancellationToken cancellationToken) =>
        {
            await purge.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Delete the disk a persistent PC kept from this (stopped) session.");

        sessions.MapGet("/", async (ListSessions list, CancellationToken cancellationToken, int page = 1, int pageSize = 25, string? state = null, int? machineId = null, bool activeOnly = false,
            int? groupId = null, int? imageId = null, string? type = null, DateTime? since = null) =>
        {
            SessionState? parsedState = null;
            if (state is not null)
            {
                parsedState = Enum.TryParse<SessionState>(state, ignoreCase: true, out var s) && Enum.IsDefined(s)
                    ? s
                    : throw new InvalidInputException(new Dictionary<string, string[]> { ["state"] = [$"State is one of: {string.Join(", ", Enum.GetNames<SessionState>())}."] });
            }
            SessionType? parsedType = null;
            if (type is not null)
            {
                parsedType = Enum.TryParse<SessionType>(type, ignoreCase: true, out var t) && Enum.IsDefined(t)
                    ? t
                    : throw new InvalidInputException(new Dictionary<string, string[]> { ["type"] = [$"Type is one of: {string.Join(", ", Enum.GetNames<SessionType>())}."] });
            }
            var query = new SessionQuery(new PageRequest(page, pageSize), parsedState, machineId, activeOnly, groupId, imageId, parsedType, since?.ToUniversalTime());
            var result = await list.ExecuteAsync(query, cancellationToken);
            return new PageDto<SessionDto>(result.Items.Select(SessionDto.From).ToList(), result.TotalCount, result.PageNumber, result.PageSize);
        });

        sessions.MapGet("/{id:int}", async (int id, ListSessions list, ProvisioningProgress progress, CancellationToken cancellationToken) =>
            SessionDto.From(await list.GetAsync(id, cancellationToken), progress));

        sessions.MapGet("/machine/{machineId:int}/active", async (int machineId, ListSessions list, CancellationToken cancellationToken) =>
            await list.ActiveForMachineAsync(machineId, cancellationToken) is { } session
                ? Results.Ok(SessionDto.From(session))
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Machine {machineId} has no active session."));

        sessions.MapGet("/disk-usage", async (GGnet.Core.Storage.ListSessionDiskUsage usage, CancellationToken cancellationToken) =>
            await usage.ExecuteAsync(cancellationToken))
            .RequireAuthorization(Policies.CanOperate)
            .WithSummary("Space each running session's disk takes for itself (what its PC wrote, on a reflink filesystem), biggest first.");

        sessions.MapGet("/stats", async (ListSessions list, CancellationToken cancellationToken) =>
        {
            var stats = await list.StatsAsync(cancellationToken);
            return new StatsDto(stats.ByState, stats.MedianBootSeconds, stats.LongestBootSeconds);
        });

        sessions.MapGet("/boot-durations", async (int? hours, ListSessions list, CancellationToken cancellationToken) =>
            hours is < 1 or > 168
                ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "hours is a whole number from 1 to 168 (a week).")
                : Results.Ok(await list.BootDurationsAsync(hours ?? 12, cancellationToken)))
            .WithSummary("How long PCs took from DHCP to Online, per hour (median and slowest), over the last hours (default 12).");

        sessions.MapGet("/machine/{machineId:int}/boot-script", async (int machineId, GetMachineBootScript get, CancellationToken cancellationToken) =>
            Results.Text(await get.ExecuteAsync(machineId, cancellationToken), "text/plain; charset=utf-8"))
            .WithSummary("The iPXE script this machine gets if it boots now.");
    }
}
