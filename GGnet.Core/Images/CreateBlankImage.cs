using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Images;

/// <summary>
/// Makes an image whose first version is an empty disk of a chosen size, to install an OS onto: an install session
/// (a maintenance session that boots an ISO) writes the system, and its commit becomes version 2.
/// </summary>
public sealed class CreateBlankImage(IImageFolder imageFolder, IDiskImageTool tool, IImageRepository images, IStoragePool storage, IStatusNotifier notifier,
    Nodes.LocalNode node, TimeProvider clock)
{
    public const int MaxSizeGiB = 16 * 1024;

    public async Task<Image> ExecuteAsync(CreateBlankImageRequest request, string actor, CancellationToken cancellationToken)
    {
        var name = ImportImage.ValidName(request.Name);
        if (Machines.MachineInput.ValidateDescription(request.Description) is { } badDescription)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["description"] = [badDescription] });
        }
        if (request.SizeGiB is not (>= 1 and <= MaxSizeGiB))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["sizeGiB"] = [$"A blank disk is 1–{MaxSizeGiB} GiB; Windows 11 needs at least 64, a game hall's system disk usually 128–256."],
            });
        }
        var bytes = (long)request.SizeGiB << 30;
        // The disk starts empty, but the installer may fill it: like an import, it must fit.
        if (await storage.UsageAsync(cancellationToken) is { } usage && usage.FreeBytes < bytes)
        {
            throw new ConflictException($"A {request.SizeGiB} GiB disk may grow to {request.SizeGiB} GiB; " +
                $"the disk storage has {usage.FreeBytes >> 30} GiB free. Choose a smaller size or free some space first.");
        }
        if (await images.NameExistsAsync(name, cancellationToken))
        {
            throw new ConflictException($"An image named '{name}' already exists. Choose another name.");
        }

        var format = await ImportImage.VersionFormatAsync(storage, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var description = string.IsNullOrWhiteSpace(request.Description) ? $"Blank {request.SizeGiB} GiB disk: install an OS onto it from an ISO." : request.Description.Trim();
        var version = await images.AddWithFirstVersionAsync(
            new Image(name, description, node.Key, now),
            image => new ImageVersion(image.Id, 1, format, bytes, imageFolder.PathForVersion(image.Id, 1, format), now),
            image => new AuditEvent(now, actor, AuditActions.ImageCreatedBlank, "image", image.Id.ToString(CultureInfo.InvariantCulture), null,
                $"name={image.Name} size={bytes} format={format.ToString().ToLowerInvariant()}"),
            cancellationToken);
        try
        {
            await tool.CreateBlankAsync(new DiskFile(version.Path, format), bytes, cancellationToken);
        }
        catch (Exception failed) when (failed is IOException or StorageFullException)
        {
            version.MarkFailed(failed.Message);
            await images.SaveVersionAsync(version, null, CancellationToken.None);
            notifier.ImageChanged(version.ImageId);
            throw new ConflictException($"GGnet could not make the blank disk of '{name}': {failed.Message} The image is listed as failed; delete it and try again.");
        }
        version.MarkReady();
        await images.SaveVersionAsync(version, null, CancellationToken.None, makeCurrent: true);
        notifier.ImageChanged(version.ImageId);
        return (await images.FindAsync(version.ImageId, cancellationToken))!;
    }
}

/// <summary>A blank image: its name, the disk's size in GiB, an optional description.</summary>
public sealed record CreateBlankImageRequest(string? Name, int SizeGiB, string? Description = null);
