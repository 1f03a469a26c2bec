using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Receives a disk image from the browser into the import folder, streamed straight to disk: a plain file name,
/// not there yet, within the size limit and the free space. It appears in the folder only once complete.
/// </summary>
public sealed class UploadImageFile(IImageFiles files, IStoragePool storage)
{
    public async Task<string> ExecuteAsync(string? fileName, long? length, long maxBytes, Stream content, CancellationToken cancellationToken)
    {
        var name = fileName?.Trim() ?? "";
        if (name.Length is 0 or > 200 || name.StartsWith('.') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["fileName"] = ["Name the file with letters, digits, '-', '_' and '.', like hall-pcs.vmdk (no folders)."],
            });
        }
        if (length > maxBytes)
        {
            throw new TooLargeException($"{name} is {length / (1 << 20)} MiB; uploads are limited to {maxBytes / (1 << 20)} MiB (Storage:MaxUploadBytes). Copy larger images into the import folder instead.");
        }
        if (length is { } size && (await storage.UsageAsync(cancellationToken)).FreeBytes < size)
        {
            throw new ConflictException($"{name} does not fit: the server's disk storage has less free space than its {size / (1 << 20)} MiB.");
        }
        if ((await files.ListImportableAsync(cancellationToken)).Contains(name, StringComparer.Ordinal))
        {
            throw new ConflictException($"{name} is already in the import folder. Import it, or rename the file and upload again.");
        }
        await files.ReceiveAsync(name, content, maxBytes, cancellationToken);
        return name;
    }
}
