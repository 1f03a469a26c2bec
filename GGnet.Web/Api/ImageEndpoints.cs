using GGnet.Core.Domain.Images;
using GGnet.Core.Images;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class ImageEndpoints
{
    public sealed record VersionDto(int Id, int Number, DiskFormat Format, long SizeBytes, ImageStatus Status, string? FailureReason, double? Progress, DateTime CreatedAt, bool Current);

    public sealed record ImageDto(int Id, string Name, string? Description, int? CurrentVersionId, DateTime CreatedAt, IReadOnlyList<VersionDto> Versions, string Node,
        ImageKind Kind, long? SessionQuotaBytes)
    {
        public static ImageDto From(Image image, ListImages list) => new(
            image.Id, image.Name, image.Description, image.CurrentVersionId, image.CreatedAt,
            image.Versions.OrderByDescending(v => v.Number)
                .Select(v => new VersionDto(v.Id, v.Number, v.Format, v.SizeBytes, v.Status, v.FailureReason, list.ProgressOf(v), v.CreatedAt, v.Id == image.CurrentVersionId))
                .ToList(),
            image.NodeName,
            image.Kind,
            image.SessionQuotaBytes);
    }

    /// <summary>How much each session of the image may write, in GiB; null for no quota.</summary>
    public sealed record QuotaInput(int? QuotaGiB);

    /// <summary>What an image is: "system" (PCs boot it) or "data" (attached beside the system, like a game library).</summary>
    public sealed record KindInput(ImageKind Kind);

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

        images.MapPost("/{id:int}/versions/{versionId:int}/make-current", async (int id, int versionId, MakeVersionCurrent makeCurrent, HttpContext context, CancellationToken cancellationToken) =>
        {
            await makeCurrent.ExecuteAsync(id, versionId, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Rollback: make an earlier (or later) ready version the one new sessions use.");

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
