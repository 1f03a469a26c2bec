namespace GGnet.Infrastructure.Storage;

/// <summary>Where session disks live. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Session disks; empty means "disks" in the data directory. On XFS (reflink=1) or btrfs clones are instant.</summary>
    public string? DiskDirectory { get; set; }
}
