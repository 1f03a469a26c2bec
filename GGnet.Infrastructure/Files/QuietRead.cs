using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GGnet.Infrastructure.Files;

/// <summary>
/// Reads a file without moving its access time (Linux O_NOATIME), so GGnet's own reads never look like a
/// PC's TFTP download. Falls back to an ordinary read (restoring the access time) where the kernel refuses.
/// </summary>
internal static partial class QuietRead
{
    private const int ReadOnly = 0;
    private const int NoAccessTime = 0x40000;
    private const int CloseOnExec = 0x80000;

    public static async Task<byte[]> AllBytesAsync(string path, CancellationToken cancellationToken)
    {
        var descriptor = Open(path, ReadOnly | NoAccessTime | CloseOnExec);
        if (descriptor < 0)
        {
            var accessed = File.GetLastAccessTimeUtc(path);
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            File.SetLastAccessTimeUtc(path, accessed);
            return bytes;
        }
        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        await using var stream = new FileStream(handle, FileAccess.Read);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
