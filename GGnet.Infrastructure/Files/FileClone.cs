using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GGnet.Infrastructure.Files;

/// <summary>
/// A reflink clone in one system call (Linux FICLONE), the clone <c>cp --reflink=always</c> makes, without starting a
/// process for it: instant on XFS (reflink=1) and btrfs, every extent shared until one side writes. The new file gets
/// the image's permission bits, as cp gives them.
/// </summary>
public static partial class FileClone
{
    // _IOW(0x94, 9, int)
    private const nuint Ficlone = 0x40049409;
    private const int NoSpaceLeft = 28;

    /// <summary>Clones <paramref name="source"/> to a new file; null when done, else the kernel's reason (and no file is left).</summary>
    public static CloneRefusal? TryClone(string source, string destination)
    {
        int error;
        using (var from = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var to = new FileStream(destination, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = File.GetUnixFileMode(source) }))
        {
            if (Ioctl(to.SafeFileHandle, Ficlone, from) == 0)
            {
                return null;
            }
            error = Marshal.GetLastPInvokeError();
        }
        File.Delete(destination);
        return new CloneRefusal(Marshal.GetPInvokeErrorMessage(error), error == NoSpaceLeft);
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeFileHandle descriptor, nuint request, SafeFileHandle source);
}

/// <summary>Why the kernel made no clone: its sentence, and whether the filesystem is full.</summary>
public sealed record CloneRefusal(string Reason, bool NoSpace);
