using GGnet.Core.Storage;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// Recognises "no space left on device" (ENOSPC, strerror 28) in what a program writing a disk (cp, qemu-img) printed,
/// and names the full folder with what is free there now.
/// </summary>
public static class NoSpace
{
    public static bool In(string programOutput) => programOutput.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);

    /// <summary>The error for a write into this folder that ran out of space; call it after removing the partial file, so the free space is what is really left.</summary>
    public static StorageFullException At(string folder, Exception? cause = null) =>
        new(folder, FreeBytesOf(folder), cause);

    private static long FreeBytesOf(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception unknown) when (unknown is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }
}
