using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Images;

/// <summary>
/// Registers an image from a file in this node's import folder: qemu-img checks it first (format, size, no backing
/// file); a background job on this node then converts it into the image's first version, which this node stores.
/// </summary>
public sealed class ImportImage(
    IImportFolder importFolder,
    IImageFolder imageFolder,
    IDiskImageTool tool,
    IImageRepository images,
    IImageJobs jobs,
    IStoragePool storage,
    IStatusNotifier notifier,
    Nodes.LocalNode node,
    TimeProvider clock)
{
    public async Task<Image> ExecuteAsync(ImportImageRequest request, string actor, CancellationToken cancellationToken)
    {
        var name = ValidName(request.Name);
        if (GGnet.Core.Machines.MachineInput.ValidateDescription(request.Description) is { } badDescription)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["description"] = [badDescription] });
        }
        var source = importFolder.ResolveImport(request.File ?? "");
        var inspection = await tool.InspectAsync(source, cancellationToken);
        if (inspection.Problem(request.File!) is { } problem)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["file"] = [problem] });
        }
        importFolder.CheckDataFiles(source, inspection.DataFiles);
        // Converted, the image takes up to its full virtual size: it must fit.
        if (await storage.UsageAsync(cancellationToken) is { } usage && usage.FreeBytes < inspection.VirtualSizeBytes)
        {
            throw new ConflictException($"{request.File} needs up to {inspection.VirtualSizeBytes >> 20} MiB once converted; " +
                $"the disk storage has {usage.FreeBytes >> 20} MiB free. Free some space first.");
        }
        if (await images.NameExistsAsync(name, cancellationToken))
        {
            throw new ConflictException($"An image named '{name}' already exists. Choose another name.");
        }

        var format = await VersionFormatAsync(storage, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var version = await images.AddWithFirstVersionAsync(
            new Image(name, string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(), node.Key, now),
            image =>
            {
                var first = new ImageVersion(image.Id, 1, format, inspection.VirtualSizeBytes, imageFolder.PathForVersion(image.Id, 1, format), now);
                first.StartConverting(source, inspection.Format!.Value);
                return first;
            },
            image => new AuditEvent(now, actor, AuditActions.ImageImported, "image", image.Id.ToString(CultureInfo.InvariantCulture), null,
                $"name={image.Name} file={request.File} format={inspection.FormatName} size={inspection.VirtualSizeBytes}"),
            cancellationToken);
        jobs.EnqueueConversion(version.Id, node.Key);
        notifier.ImageChanged(version.ImageId);
        return (await images.FindAsync(version.ImageId, cancellationToken))!;
    }

    /// <summary>The format image versions are stored in: qcow2 on overlay pools (compact, and what commits chain onto); raw elsewhere, to clone.</summary>
    internal static async Task<DiskFormat> VersionFormatAsync(IStoragePool storage, CancellationToken cancellationToken) =>
        (await storage.StrategyAsync(cancellationToken)).Strategy == CloneStrategy.Overlay ? DiskFormat.Qcow2 : DiskFormat.Raw;

    internal static string ValidName(string? text)
    {
        var name = text?.Trim() ?? "";
        if (name.Length is 0 or > Image.MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["name"] = [$"An image name is 1–{Image.MaxNameLength} letters, digits, '-', '_' or '.', e.g. win11-cafe."],
            });
        }
        return name;
    }
}

/// <summary>An import: the image's name, the file (relative to the import folder), an optional description.</summary>
public sealed record ImportImageRequest(string? Name, string? File, string? Description = null);
