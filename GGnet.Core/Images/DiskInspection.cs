using GGnet.Core.Domain.Images;

namespace GGnet.Core.Images;

/// <summary>What <c>qemu-img info</c> says about a file: its format, virtual size, whether it leans on a backing file or is marked corrupt.</summary>
public sealed record DiskInspection(string FormatName, long VirtualSizeBytes, long FileSizeBytes, bool HasBackingFile, bool Corrupt)
{
    /// <summary>Other files the image reads its data from (a VMDK's extents, relative to the image's folder), other than itself.</summary>
    public IReadOnlyList<string> DataFiles { get; init; } = [];

    /// <summary>The file this image leans on (as qemu-img resolves it), or null for a standalone image.</summary>
    public string? BackingFile { get; init; }

    /// <summary>A QCOW2 "external data file": the image's blocks live in another file, which could be anything on the server.</summary>
    public bool HasExternalDataFile { get; init; }

    public const long MinimumRawBytes = 1 << 20;

    /// <summary>The format as GGnet knows it, or null for one it does not import.</summary>
    public DiskFormat? Format => FormatName switch
    {
        "raw" => DiskFormat.Raw,
        "qcow2" => DiskFormat.Qcow2,
        "vmdk" => DiskFormat.Vmdk,
        "vhdx" => DiskFormat.Vhdx,
        "vpc" => DiskFormat.Vpc,
        _ => null,
    };

    /// <summary>Why this file can't be imported, as a sentence; null when it can.</summary>
    public string? Problem(string fileName)
    {
        if (Format is null)
        {
            return $"{fileName} is a {FormatName} file; GGnet imports raw, QCOW2, VMDK, VHDX and VHD disk images.";
        }
        if (HasBackingFile)
        {
            return $"{fileName} depends on a backing file; import a standalone image (qemu-img convert it into one first).";
        }
        if (HasExternalDataFile)
        {
            return $"{fileName} keeps its data in an external file; import a standalone image (qemu-img convert it into one first).";
        }
        if (Corrupt)
        {
            return $"{fileName} is marked corrupt by qemu-img; repair it (qemu-img check -r all) or export it again.";
        }
        // Any file reads as "raw": a real raw disk is whole sectors and at least a megabyte (qemu-img rounds the size it
        // reports up to a sector, so the file's own length is what counts).
        if (Format == DiskFormat.Raw && (FileSizeBytes < MinimumRawBytes || FileSizeBytes % 512 != 0))
        {
            return FileSizeBytes < MinimumRawBytes
                ? $"{fileName} is not a disk image: it is {FileSizeBytes} bytes, and a raw disk image is at least 1 MiB."
                : $"{fileName} is not a disk image: it is {FileSizeBytes} bytes, and a raw disk image is whole 512-byte sectors.";
        }
        return null;
    }
}
