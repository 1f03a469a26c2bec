using GGnet.Core.Domain.Images;

namespace GGnet.Core.Storage;

/// <summary>A file holding disk data, and its format (never guessed from the content: a PC can write anything into a raw disk).</summary>
public sealed record DiskFile(string Path, DiskFormat Format);

/// <summary>What serving a session disk took.</summary>
public enum DiskServing
{
    /// <summary>It was already readable at its path (a plain file, or a running export).</summary>
    AlreadyServed,

    /// <summary>Its export was (re)started: an iSCSI target still holding the old one must be recreated.</summary>
    Started,
}
