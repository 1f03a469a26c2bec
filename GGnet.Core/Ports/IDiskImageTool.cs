using GGnet.Core.Domain.Images;
using GGnet.Core.Images;
using GGnet.Core.Storage;

namespace GGnet.Core.Ports;

/// <summary>Reads, converts and re-bases disk image files (qemu-img).</summary>
public interface IDiskImageTool
{
    /// <summary>Inspects a file; throws <see cref="Errors.InvalidInputException"/> with qemu-img's reason when it can't be read as a disk image.</summary>
    Task<DiskInspection> InspectAsync(string path, CancellationToken cancellationToken);

    /// <summary>Converts into the destination's format, reporting progress (0–100) as it goes. On failure or cancel the partial output is removed.</summary>
    Task ConvertAsync(string source, DiskFormat sourceFormat, DiskFile destination, IProgress<double> progress, CancellationToken cancellationToken);

    /// <summary>Creates an empty disk (all zeros, sparse) of the given size; nothing is left behind on failure.</summary>
    Task CreateBlankAsync(DiskFile destination, long sizeBytes, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a qcow2 image lean on another backing file (or none) without changing what it reads as: the data that
    /// differs is copied in first. Fails while the image is in use.
    /// </summary>
    Task RebaseAsync(DiskFile image, DiskFile? newBacking, CancellationToken cancellationToken);
}
