using GGnet.Core.Images;

namespace GGnet.Core.Ports;

/// <summary>Reads and converts disk image files (qemu-img).</summary>
public interface IDiskImageTool
{
    /// <summary>Inspects a file; throws <see cref="Errors.InvalidInputException"/> with qemu-img's reason when it can't be read as a disk image.</summary>
    Task<DiskInspection> InspectAsync(string path, CancellationToken cancellationToken);

    /// <summary>Converts to a raw disk, reporting progress (0–100) as it goes. On failure or cancel the partial output is removed.</summary>
    Task ConvertToRawAsync(string source, Domain.Images.DiskFormat sourceFormat, string destination, IProgress<double> progress, CancellationToken cancellationToken);
}
