namespace GGnet.Core.Storage;

/// <summary>How a session gets its own disk from the image.</summary>
public enum CloneStrategy
{
    /// <summary>A reflink (XFS with reflink=1, btrfs): instant, shares the image's blocks until the PC writes.</summary>
    Reflink,

    /// <summary>A qcow2 overlay on the image, served to the iSCSI target as a plain file by qemu-storage-daemon (FUSE): instant on any filesystem.</summary>
    Overlay,

    /// <summary>A full copy: works on any filesystem, slow and space-hungry.</summary>
    Copy,
}

/// <summary>The strategy the disk storage uses, and why, for the admin.</summary>
public sealed record CloneStrategyChoice(CloneStrategy Strategy, string Reason)
{
    /// <summary>The strategy as the admin reads it.</summary>
    public string Label => Strategy switch
    {
        CloneStrategy.Reflink => "reflink clones",
        CloneStrategy.Overlay => "qcow2 overlays",
        _ => "full copies",
    };
}
