using GGnet.Core.Domain.Images;
using GGnet.Core.Images;
using GGnet.Core.Ports;
using Microsoft.AspNetCore.Mvc;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class ImageEndpoints
{
    public sealed record VersionDto(int Id, int Number, DiskFormat Format, long SizeBytes, ImageStatus Status, string? FailureReason, double? Progress, DateTime CreatedAt, bool Current,
        TestDto Test);

    /// <summary>A version's test boot: its state (none, waiting, booting, passed, failed), what it found, the OS's boot time; the console only when asked for.</summary>
    public sealed record TestDto(TrialState State, string? Sentence, double? BootSeconds, DateTime? At, string? Console = null)
    {
        public static TestDto Of(ImageVersion version, bool withConsole = false) =>
            new(version.Trial, version.TrialSentence, version.TrialBootSeconds, version.TrialAt, withConsole ? version.TrialConsole : null);
    }

    public sealed record ImageDto(int Id, string Name, string? Description, int? CurrentVersionId, DateTime CreatedAt, IReadOnlyList<VersionDto> Versions, string Node,
        ImageKind Kind, long? SessionQuotaBytes, CanaryDto? Canary)
    {
        public static ImageDto From(Image image, ListImages list) => new(
            image.Id, image.Name, image.Description, image.CurrentVersionId, image.CreatedAt,
            image.Versions.OrderByDescending(v => v.Number)
                .Select(v => new VersionDto(v.Id, v.Number, v.Format, v.SizeBytes, v.Status, v.FailureReason, list.ProgressOf(v), v.CreatedAt, v.Id == image.CurrentVersionId, TestDto.Of(v)))
                .ToList(),
            image.NodeName,
            image.Kind,
            image.SessionQuotaBytes,
            image is { CanaryVersionId: { } canary, CanarySince: { } since } ? new CanaryDto(canary, image.CanaryGroupId, since) : null);
    }

    /// <summary>A version one group's PCs boot before everyone else's: which, for which group, since when.</summary>
    public sealed record CanaryDto(int VersionId, int? GroupId, DateTime Since);

    /// <summary>The group that tries a version first; overrideReason only for a candidate that failed its test boot.</summary>
    public sealed record CanaryInput(int GroupId, string? OverrideReason);

    /// <summary>How much each session of the image may write, in GiB; null for no quota.</summary>
    public sealed record QuotaInput(int? QuotaGiB);

    /// <summary>What an image is: "system" (PCs boot it) or "data" (attached beside the system, like a game library).</summary>
    public sealed record KindInput(ImageKind Kind);

    /// <summary>Only for a candidate that failed its test boot: why it is made current anyway (kept in the audit log).</summary>
    public sealed record MakeCurrentInput(string? OverrideReason);

    public sealed record ImportInput(string? Name, string? File, string? Description);

    public sealed record BlankInput(string? Name, int SizeGiB, string? Description);

    /// <summary>The server's import folder and the files in it.</summary>
    public sealed record ImportFolderDto(string Folder, IReadOnlyList<string> Files);

    /// <summary>Where a resumable upload stands: the file, its whole size, and the bytes the server has.</summary>
    public sealed record UploadDto(string File, long Size, long ReceivedBytes)
    {
        public static UploadDto From(UploadProgress progress) => new(progress.FileName, progress.Size, progress.ReceivedBytes);
    }

    public const string UploadHeader = "X-GGnet-Upload";

    public static void MapImageEndpoints(this RouteGroupBuilder api)
    {
        var images = api.MapGroup("/images").WithTags("Images");

        images.MapGet("/", async (ListImages list, CancellationToken cancellationToken) =>
            (await list.ExecuteAsync(cancellationToken)).Select(i => ImageDto.From(i, list)).ToList());

        images.MapGet("/{id:int}", async (int id, ListImages list, CancellationToken cancellationToken) =>
            ImageDto.From(await list.GetAsync(id, cancellationToken), list));

        images.MapGet("/importable", async (ListImages list, CancellationToken cancellationToken) =>
            new ImportFolderDto(list.ImportFolder, await list.ImportableAsync(cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithSummary("Files in the server's import folder that can be imported.");

        images.MapGet("/upload", async (string? fileName, long size, UploadImageFile upload, UploadLimit uploadLimit, CancellationToken cancellationToken) =>
        {
            var progress = await upload.StatusAsync(fileName, size, uploadLimit.MaxBytes, cancellationToken);
            return UploadDto.From(progress);
        }).RequireAuthorization(Policies.CanOperate).WithSummary("How much of an upload (fileName, size) the server has: a resumable upload continues from receivedBytes.");

        // The body is the file itself (or, with size and offset, its part from offset on), streamed to disk. The custom
        // header keeps other sites' forms from posting here.
        images.MapPost("/upload", async (string? fileName, long? size, long? offset, HttpContext context, UploadImageFile upload, UploadLimit uploadLimit, CancellationToken cancellationToken) =>
        {
            if (!context.Request.Headers.ContainsKey(UploadHeader))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"Uploads need the {UploadHeader} header (the Images page sends it).");
            }
            var limit = uploadLimit.MaxBytes;
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = limit + 1;
            }
            if (size is not { } total)
            {
                var name = await upload.ExecuteAsync(fileName, context.Request.ContentLength, limit, context.Request.Body, context.Actor(), cancellationToken);
                return Results.Created($"/api/v1/images/importable", new { file = name });
            }
            try
            {
                var progress = await upload.ResumeAsync(fileName, total, offset ?? 0, limit, context.Request.Body, context.Actor(), cancellationToken);
                var body = UploadDto.From(progress);
                return progress.Complete ? Results.Created($"/api/v1/images/importable", body) : Results.Ok(body);
            }
            catch (UploadOffsetException elsewhere)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, detail: elsewhere.Message,
                    extensions: new Dictionary<string, object?> { ["receivedBytes"] = elsewhere.ReceivedBytes });
            }
        }).RequireAuthorization(Policies.CanOperate)
            .WithSummary("Upload a disk image into the import folder (request body = the file; header X-GGnet-Upload: 1), then import it. " +
                "With size (and offset) it is resumable: 200 with receivedBytes until complete, then 201.");

        images.MapPost("/import", async (ImportInput input, ImportImage import, ListImages list, HttpContext context, CancellationToken cancellationToken) =>
        {
            var image = await import.ExecuteAsync(new ImportImageRequest(input.Name, input.File, input.Description), context.Actor(), cancellationToken);
            return Results.Accepted($"/api/v1/images/{image.Id}", ImageDto.From(image, list));
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Import a file from the import folder: checked with qemu-img at once, converted in the background (watch its progress).");

        images.MapPost("/blank", async (BlankInput input, CreateBlankImage create, ListImages list, HttpContext context, CancellationToken cancellationToken) =>
        {
            var image = await create.ExecuteAsync(new CreateBlankImageRequest(input.Name, input.SizeGiB, input.Description), context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/images/{image.Id}", ImageDto.From(image, list));
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Create an image whose first version is an empty disk of sizeGiB, " +
            "to install an OS onto (start a maintenance session with installFrom).");

        images.MapPost("/{id:int}/cancel", async (int id, CancelImageImport cancel, HttpContext context, CancellationToken cancellationToken) =>
        {
            await cancel.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.Accepted($"/api/v1/images/{id}");
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Cancel a running import; its partial disk is removed.");

        images.MapPost("/{id:int}/versions/{versionId:int}/make-current", async (int id, int versionId, MakeVersionCurrent makeCurrent, HttpContext context,
            CancellationToken cancellationToken, [FromBody] MakeCurrentInput? input = null) =>
        {
            await makeCurrent.ExecuteAsync(id, versionId, context.Actor(), cancellationToken, input?.OverrideReason);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Make a version the one new sessions use: a candidate once it passed its test boot, " +
            "or a rollback to an earlier one. A candidate that failed needs overrideReason, kept in the audit log.");

        images.MapPost("/{id:int}/versions/{versionId:int}/canary", async (int id, int versionId, CanaryInput input, Canaries canaries, ListImages list,
            HttpContext context, CancellationToken cancellationToken) =>
            ImageDto.From(await canaries.StartAsync(id, versionId, input.GroupId, context.Actor(), cancellationToken, input.OverrideReason), list))
            .RequireAuthorization(Policies.CanOperate)
            .WithSummary("Let one group's PCs boot this version at their next normal session before everyone (a canary); rolled back by itself when one of them does not boot it.");

        images.MapDelete("/{id:int}/canary", async (int id, Canaries canaries, ListImages list, HttpContext context, CancellationToken cancellationToken) =>
            ImageDto.From(await canaries.StopAsync(id, context.Actor(), cancellationToken), list))
            .RequireAuthorization(Policies.CanOperate).WithSummary("End the canary: its group boots the current version again from its next sessions.");

        images.MapPost("/{id:int}/versions/{versionId:int}/test", async (int id, int versionId, RetestVersion retest, HttpContext context, CancellationToken cancellationToken) =>
        {
            await retest.ExecuteAsync(id, versionId, context.Actor(), cancellationToken);
            return Results.Accepted($"/api/v1/images/{id}");
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Test-boot a version (again) in the bench PC: a candidate after a fix, or the current one to measure it.");

        images.MapGet("/{id:int}/versions/{versionId:int}/test", async (int id, int versionId, IImageRepository repository, CancellationToken cancellationToken) =>
            await repository.FindVersionAsync(versionId, cancellationToken) is { } version && version.ImageId == id
                ? Results.Ok(TestDto.Of(version, withConsole: true))
                : Results.NotFound()).RequireAuthorization().WithSummary("The version's last test boot, with the end of the bench PC's console.");

        images.MapGet("/{id:int}/versions/{versionId:int}/test-screen", async (int id, int versionId, IImageRepository repository, ITrialBench bench,
            CancellationToken cancellationToken) =>
            await repository.FindVersionAsync(versionId, cancellationToken) is { } version && version.ImageId == id
                && bench.ScreenOf(TestCandidate.RunName(versionId)) is { } screen
                ? Results.File(screen, "image/png")
                : Results.NotFound()).RequireAuthorization().WithSummary("The bench PC's screen at the end of the version's last test boot (PNG).");

        images.MapPut("/{id:int}/kind", async (int id, KindInput input, SetImageKind setKind, ListImages list, HttpContext context, CancellationToken cancellationToken) =>
            ImageDto.From(await setKind.ExecuteAsync(id, input.Kind, context.Actor(), cancellationToken), list))
            .RequireAuthorization(Policies.CanOperate)
            .WithSummary("Make the image a system image (PCs boot it) or a data image (attached to machines and groups beside their system).");

        images.MapPut("/{id:int}/session-quota", async (int id, QuotaInput input, SetSessionQuota setQuota, ListImages list, HttpContext context, CancellationToken cancellationToken) =>
            ImageDto.From(await setQuota.ExecuteAsync(id, input.QuotaGiB, context.Actor(), cancellationToken), list))
            .RequireAuthorization(Policies.CanOperate)
            .WithSummary("How much each session of the image may write beyond it (GiB; null: no quota): warned at 80 %, and starts admitted only while the storage holds it.");

        images.MapDelete("/{id:int}", async (int id, DeleteImage delete, HttpContext context, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Delete an image and its files; refused while a session uses it.");
    }
}
