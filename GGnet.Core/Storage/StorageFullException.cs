using System.Globalization;

namespace GGnet.Core.Storage;

/// <summary>
/// A write ran out of space: the folder whose filesystem is full, and what is free there once the half-written file
/// is gone. The use case that was writing turns it into a sentence: what it was making, how much that needs, what to do.
/// </summary>
public sealed class StorageFullException : IOException
{
    public StorageFullException(string folder, long freeBytes, Exception? cause = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"{folder} is full ({Readable(freeBytes)} free)"), cause)
    {
        Folder = folder;
        FreeBytes = freeBytes;
    }

    public string Folder { get; }

    public long FreeBytes { get; }

    /// <summary>"7.9 MiB", "1.2 GiB": sizes as an admin reads them.</summary>
    public static string Readable(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB");
}
