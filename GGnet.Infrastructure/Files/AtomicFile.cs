namespace GGnet.Infrastructure.Files;

/// <summary>Writes files so that readers see the old content or the new, never a half-written file.</summary>
public static class AtomicFile
{
    /// <summary>Writes to a temporary file in the same directory, flushes it to disk, then renames it over the target.</summary>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>True when the file exists and holds exactly these bytes.</summary>
    public static async Task<bool> HoldsAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != content.Length)
        {
            return false;
        }
        // A moved access time is how a TFTP download is noticed: this comparison must not move it.
        var existing = await QuietRead.AllBytesAsync(path, cancellationToken);
        return existing.AsSpan().SequenceEqual(content.Span);
    }
}
