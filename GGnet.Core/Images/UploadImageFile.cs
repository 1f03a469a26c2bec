using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Receives a disk image from the browser into the import folder, streamed straight to disk: a plain file name,
/// not there yet, within the size limit and the free space. It appears in the folder only once complete. Sent with
/// its size, an upload is resumable: what arrived before a broken connection stays, and the next part continues it.
/// </summary>
public sealed class UploadImageFile(IImportFolder importFolder, IUploadReceiver uploads, IStoragePool storage, IAuditLog audit, TimeProvider clock)
{
    public const int MaxNameLength = 200;

    /// <summary>A whole file in one request (its length known from the request, or enforced while reading).</summary>
    public async Task<string> ExecuteAsync(string? fileName, long? length, long maxBytes, Stream content, string actor, CancellationToken cancellationToken)
    {
        var name = ValidName(fileName);
        CheckSize(name, length, maxBytes);
        await CheckRoomAsync(name, length ?? 0, cancellationToken);
        await CheckNewAsync(name, cancellationToken);
        var received = await uploads.ReceiveAsync(name, content, maxBytes, cancellationToken);
        await AuditAsync(name, received, actor, cancellationToken);
        return name;
    }

    /// <summary>How much of this upload (name and size) the server already has.</summary>
    public async Task<UploadProgress> StatusAsync(string? fileName, long size, long maxBytes, CancellationToken cancellationToken)
    {
        var name = ValidName(fileName);
        CheckSize(name, size, maxBytes);
        await CheckNewAsync(name, cancellationToken);
        return new UploadProgress(name, size, await uploads.ReceivedBytesAsync(name, size, cancellationToken));
    }

    /// <summary>Appends a part at its offset; once all <paramref name="size"/> bytes are there, the file is in the import folder.</summary>
    public async Task<UploadProgress> ResumeAsync(string? fileName, long size, long offset, long maxBytes, Stream content, string actor, CancellationToken cancellationToken)
    {
        var name = ValidName(fileName);
        CheckSize(name, size, maxBytes);
        if (offset < 0 || offset > size)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["offset"] = [$"The offset is 0–{size}, the bytes already sent."] });
        }
        await CheckRoomAsync(name, size - offset, cancellationToken);
        await CheckNewAsync(name, cancellationToken);
        var progress = new UploadProgress(name, size, await uploads.ReceivePartAsync(name, size, offset, content, cancellationToken));
        if (progress.Complete)
        {
            await AuditAsync(name, size, actor, cancellationToken);
        }
        return progress;
    }

    private Task AuditAsync(string name, long bytes, string actor, CancellationToken cancellationToken) =>
        audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ImageUploaded, "import-file", name, null, $"file={name} bytes={bytes}"), cancellationToken);

    private static string ValidName(string? fileName)
    {
        var name = fileName?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength || name.StartsWith('.') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["fileName"] = [$"Name the file with 1–{MaxNameLength} letters, digits, '-', '_' and '.', like hall-pcs.vmdk (no folders)."],
            });
        }
        return name;
    }

    private static void CheckSize(string name, long? length, long maxBytes)
    {
        if (length > maxBytes)
        {
            throw new TooLargeException($"{name} is {length / (1 << 20)} MiB; " +
                $"uploads are limited to {maxBytes / (1 << 20)} MiB (Storage:MaxUploadBytes). Copy larger images into the import folder instead.");
        }
        if (length <= 0)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["size"] = [$"{name} is empty: choose the disk image file itself."] });
        }
    }

    private async Task CheckRoomAsync(string name, long bytes, CancellationToken cancellationToken)
    {
        if (bytes > 0 && (await storage.UsageAsync(cancellationToken)).FreeBytes < bytes)
        {
            throw new ConflictException($"{name} does not fit: the server's disk storage has less free space than the {bytes / (1 << 20)} MiB still to come.");
        }
    }

    private async Task CheckNewAsync(string name, CancellationToken cancellationToken)
    {
        if ((await importFolder.ListImportableAsync(cancellationToken)).Contains(name, StringComparer.Ordinal))
        {
            throw new ConflictException($"{name} is already in the import folder. Import it, or rename the file and upload again.");
        }
    }
}
