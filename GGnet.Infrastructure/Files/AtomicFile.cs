namespace GGnet.Infrastructure.Files;

/// <summary>Writes files so that readers see the old content or the new, never a half-written file.</summary>
public static class AtomicFile
{
    /// <summary>Readable by every user, written by its owner: what the daemons that read GGnet's files need.</summary>
    public const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes to a temporary file in the same directory, flushes it to disk, then renames it over the target. The
    /// file has <paramref name="mode"/> from its creation on, so a secret is never readable by others, not even for a moment.
    /// </summary>
    public static Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, UnixFileMode mode = ReadableByAll) =>
        WriteAsync(path, content, mode, flushToDisk: true, cancellationToken);

    /// <summary>
    /// Like <see cref="WriteAsync(string, ReadOnlyMemory{byte}, CancellationToken, UnixFileMode)"/>, for a file GGnet
    /// derives from its database and writes again at every start: readers still see the old content or the new, but the
    /// write doesn't wait for the disk. After a power cut the file may be empty until GGnet starts and writes it again.
    /// </summary>
    public static Task WriteDerivedAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteAsync(path, content, ReadableByAll, flushToDisk: false, cancellationToken);

    private static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, UnixFileMode mode, bool flushToDisk, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var renamed = false;
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous, UnixCreateMode = mode };
            await using (var stream = new FileStream(temporary, create))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                if (flushToDisk)
                {
                    stream.Flush(flushToDisk: true);
                }
            }
            // The umask may have taken bits away at creation.
            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, path, overwrite: true);
            renamed = true;
        }
        finally
        {
            // Only a write that failed leaves its temporary file: an unlink of the name after the rename would find
            // nothing, yet take the folder's lock, which every other write in the folder waits for.
            if (!renamed)
            {
                File.Delete(temporary);
            }
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
