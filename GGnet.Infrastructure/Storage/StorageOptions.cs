namespace GGnet.Infrastructure.Storage;

/// <summary>Where session disks live. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Session disks; empty means "disks" in the data directory. On XFS (reflink=1) or btrfs clones are instant.</summary>
    public string? DiskDirectory { get; set; }

    /// <summary>How session disks are made: Auto (reflink where the filesystem can, else a qcow2 overlay served by qemu-storage-daemon, else a full copy), Reflink, Overlay or Copy.</summary>
    public string CloneStrategy { get; set; } = "Auto";

    /// <summary>Where admins put disk images to import (VHD, VHDX, VMDK, QCOW2, raw); empty means "import" in the data directory.</summary>
    public string? ImportDirectory { get; set; }

    /// <summary>Image versions; empty means "images" in the data directory. Keep it on the same filesystem as the disks for instant clones.</summary>
    public string? ImageDirectory { get; set; }

    /// <summary>The session disks' folder, in full, without a trailing '/': <see cref="DiskDirectory"/> or "disks" in the data directory.</summary>
    public string DiskFolder(string dataDirectory) => FolderOr(DiskDirectory, dataDirectory, "disks");

    /// <summary>The import folder, in full: <see cref="ImportDirectory"/> or "import" in the data directory.</summary>
    public string ImportFolder(string dataDirectory) => FolderOr(ImportDirectory, dataDirectory, "import");

    /// <summary>The image versions' folder, in full: <see cref="ImageDirectory"/> or "images" in the data directory.</summary>
    public string ImageFolder(string dataDirectory) => FolderOr(ImageDirectory, dataDirectory, "images");

    // One form for every user of a folder (the service and the root helper compare paths as text).
    private static string FolderOr(string? configured, string dataDirectory, string name) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(dataDirectory, name) : configured));

    /// <summary>Caps the disk throughput of an image conversion (bytes per second; 0 = no cap), to spare running PCs during opening hours.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, long.MaxValue)]
    public long ConvertRateLimitBytesPerSecond { get; set; }

    /// <summary>The largest disk image the browser may upload (bytes); bigger ones are copied into the import folder.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 256L << 30;

    /// <summary>Versions kept per image; older ones are removed after a commit (never the current one, never one in use).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int KeepVersions { get; set; } = 5;

    /// <summary>How often the fill level is sampled for the chart.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1440)]
    public int SampleMinutes { get; set; } = 5;

    /// <summary>How often what each running session wrote is measured (against its image's write quota).</summary>
    [System.ComponentModel.DataAnnotations.Range(5, 3600)]
    public int SessionSpaceSeconds { get; set; } = 30;

    /// <summary>Kept free beyond what running sessions may still write within their quotas: a start that would eat into it is refused.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1 << 20)]
    public int AdmissionReserveGiB { get; set; } = 1;

    /// <summary>Above this share of the disk storage used, the Images page and the dashboard warn.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100)]
    public int WarnAbovePercent { get; set; } = 80;

    /// <summary>Above this share used, new sessions are refused with a sentence (running ones keep going).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100)]
    public int RefuseAbovePercent { get; set; } = 90;
}
