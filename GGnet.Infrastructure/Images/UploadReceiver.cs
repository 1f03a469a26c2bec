using System.Globalization;
using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Core.Ports;

namespace GGnet.Infrastructure.Images;

/// <summary>
/// Uploads into the import folder. A file arrives under a hidden name (<c>.name.….uploading</c>), which the import
/// dialog does not offer, and is renamed to its own name once complete; a resumable upload keeps one such file per
/// name and size, so the same file sent again continues where it stopped.
/// </summary>
public sealed class UploadReceiver(IImportFolder importFolder) : IUploadReceiver
{
    private string Folder => importFolder.Path;

    public async Task<long> ReceiveAsync(string fileName, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var final = Path.Combine(Folder, fileName);
        var partial = Path.Combine(Folder, $".{fileName}.{Guid.NewGuid():N}.uploading");
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 20];
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw new TooLargeException($"{fileName} is larger than the upload limit of {maxBytes / (1 << 20)} MiB (Storage:MaxUploadBytes). " +
                            "Copy larger images into the import folder instead.");
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                await file.FlushAsync(cancellationToken);
            }
            var length = new FileInfo(partial).Length;
            try
            {
                File.Move(partial, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                throw new ConflictException($"{fileName} arrived in the import folder meanwhile. Rename the file and upload again.");
            }
            // An earlier resumable attempt at this file has nothing left to continue.
            foreach (var abandoned in Directory.EnumerateFiles(Folder, $".{fileName}.*.uploading"))
            {
                File.Delete(abandoned);
            }
            return length;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public Task<long> ReceivedBytesAsync(string fileName, long size, CancellationToken cancellationToken)
    {
        var partial = new FileInfo(ResumablePartial(fileName, size));
        return Task.FromResult(partial.Exists ? partial.Length : 0);
    }

    public async Task<long> ReceivePartAsync(string fileName, long size, long offset, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var partial = ResumablePartial(fileName, size);
        FileStream file;
        try
        {
            // FileShare.None takes a lock: a second window sending the same file waits its turn instead of interleaving.
            file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        }
        catch (IOException) when (File.Exists(partial))
        {
            throw new ConflictException($"{fileName} is being uploaded right now (from another window?). Wait for that upload, or send the file under another name.");
        }
        long received;
        var tooLong = false;
        await using (file)
        {
            if (file.Length != offset)
            {
                throw new UploadOffsetException(fileName, file.Length);
            }
            file.Seek(0, SeekOrigin.End);
            var buffer = new byte[1 << 20];
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    if (file.Length + read > size)
                    {
                        tooLong = true;
                        break;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                // A broken connection keeps what arrived: the next part continues from there.
                await file.FlushAsync(CancellationToken.None);
            }
            received = file.Length;
        }
        if (tooLong)
        {
            File.Delete(partial);
            throw new InvalidInputException(new Dictionary<string, string[]> { ["size"] = [$"More than the announced {size} bytes of {fileName} arrived; upload it again."] });
        }
        if (received == size)
        {
            try
            {
                File.Move(partial, Path.Combine(Folder, fileName), overwrite: false);
            }
            catch (IOException) when (File.Exists(Path.Combine(Folder, fileName)))
            {
                throw new ConflictException($"{fileName} arrived in the import folder meanwhile. Rename the file and upload again.");
            }
        }
        return received;
    }

    // One partial file per name and size: the same file sent again continues where it stopped.
    private string ResumablePartial(string fileName, long size) =>
        Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $".{fileName}.{size}.uploading"));

    public Task RemoveStaleUploadsAsync(TimeSpan untouchedFor, CancellationToken cancellationToken)
    {
        if (Directory.Exists(Folder))
        {
            foreach (var partial in Directory.EnumerateFiles(Folder, ".*.uploading"))
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(partial) > untouchedFor)
                {
                    File.Delete(partial);
                }
            }
        }
        return Task.CompletedTask;
    }
}
