using System.Globalization;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Images;

/// <summary>The import folder (read only, nothing outside it is reachable) and the image folder (one file per version).</summary>
public sealed class ImageFiles(IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database) : IImageFiles
{
    public string ImportFolder => Path.GetFullPath(string.IsNullOrWhiteSpace(storage.Value.ImportDirectory)
        ? Path.Combine(database.Value.DataDirectory, "import")
        : storage.Value.ImportDirectory).TrimEnd('/');

    public string ImageFolder => Path.GetFullPath(string.IsNullOrWhiteSpace(storage.Value.ImageDirectory)
        ? Path.Combine(database.Value.DataDirectory, "images")
        : storage.Value.ImageDirectory);

    public Task<IReadOnlyList<string>> ListImportableAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> files = Directory.Exists(ImportFolder)
            ? Directory.EnumerateFiles(ImportFolder, "*", Listing)
                .Select(f => Path.GetRelativePath(ImportFolder, f))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(files);
    }

    // Symbolic links (to files or folders) and hidden files (uploads in progress) are not offered.
    private static readonly EnumerationOptions Listing = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden | FileAttributes.Device,
    };

    private static readonly EnumerationOptions OneFolder = new()
    {
        AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden | FileAttributes.Device,
        MatchType = MatchType.Simple,
    };

    public string ResolveImport(string relativePath)
    {
        var folder = ImportFolder;
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            throw Invalid($"Choose a file of the import folder {folder} to import.");
        }
        var full = relativePath.Length == 0 || relativePath.Contains('\0', StringComparison.Ordinal) ? "" : Path.GetFullPath(Path.Combine(folder, relativePath));
        if (!full.StartsWith(folder + "/", StringComparison.Ordinal))
        {
            throw Invalid($"'{Core.Domain.Printable.Of(relativePath)}' is not a file in the import folder {folder}.");
        }
        var file = new FileInfo(full);
        if (!file.Exists && file.LinkTarget is null)
        {
            throw Invalid(Directory.Exists(folder) && Directory.EnumerateFiles(folder, $".{file.Name}.*.uploading").Any()
                ? $"'{Core.Domain.Printable.Of(relativePath)}' is still being uploaded; import it once the upload is complete."
                : $"There is no file '{Core.Domain.Printable.Of(relativePath)}' in the import folder {folder}. Copy it there first.");
        }
        // A symbolic link could lead out of the folder: follow it and check again.
        var target = file.LinkTarget is null ? full : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        if (!target.StartsWith(folder + "/", StringComparison.Ordinal))
        {
            throw Invalid($"'{Core.Domain.Printable.Of(relativePath)}' leads outside the import folder {folder}.");
        }
        if (!File.Exists(target))
        {
            throw Invalid($"There is no file '{Core.Domain.Printable.Of(relativePath)}' in the import folder {folder}. Copy it there first.");
        }
        // A link in a folder on the way (import/x -> /) or a device node is not a file of the import folder.
        var ancestor = folder;
        foreach (var part in Path.GetRelativePath(folder, full).Split('/')[..^1])
        {
            ancestor = Path.Combine(ancestor, part);
            if (new DirectoryInfo(ancestor).LinkTarget is not null)
            {
                throw Invalid($"'{Core.Domain.Printable.Of(relativePath)}' leads outside the import folder {folder}.");
            }
        }
        if (!Directory.EnumerateFiles(Path.GetDirectoryName(full)!, Path.GetFileName(full), OneFolder).Any())
        {
            throw Invalid($"'{Core.Domain.Printable.Of(relativePath)}' is not a plain file in the import folder {folder}.");
        }
        return target;
    }

    public void CheckDataFiles(string imagePath, IReadOnlyList<string> dataFiles)
    {
        foreach (var dataFile in dataFiles)
        {
            var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(imagePath)!, dataFile));
            try
            {
                ResolveImport(Path.GetRelativePath(ImportFolder, full));
            }
            catch (InvalidInputException)
            {
                throw Invalid($"{Path.GetFileName(imagePath)} reads its data from '{Core.Domain.Printable.Of(dataFile)}', which is not a file of the import folder. Import a standalone image.");
            }
        }
    }

    public string PathForVersion(int imageId, int number, DiskFormat format) =>
        Path.Combine(ImageFolder, string.Create(CultureInfo.InvariantCulture, $"image-{imageId}-v{number}.{(format == DiskFormat.Qcow2 ? "qcow2" : "img")}"));

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(path);
        File.Delete(path + ".partial");
        return Task.CompletedTask;
    }

    public async Task<long> ReceiveAsync(string fileName, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(ImportFolder);
        var final = Path.Combine(ImportFolder, fileName);
        var partial = Path.Combine(ImportFolder, $".{fileName}.{Guid.NewGuid():N}.uploading");
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
                        throw new TooLargeException($"{fileName} is larger than the upload limit of {maxBytes / (1 << 20)} MiB (Storage:MaxUploadBytes). Copy larger images into the import folder instead.");
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
            foreach (var abandoned in Directory.EnumerateFiles(ImportFolder, $".{fileName}.*.uploading"))
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
        Directory.CreateDirectory(ImportFolder);
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
                File.Move(partial, Path.Combine(ImportFolder, fileName), overwrite: false);
            }
            catch (IOException) when (File.Exists(Path.Combine(ImportFolder, fileName)))
            {
                throw new ConflictException($"{fileName} arrived in the import folder meanwhile. Rename the file and upload again.");
            }
        }
        return received;
    }

    // One partial file per name and size: the same file sent again continues where it stopped.
    private string ResumablePartial(string fileName, long size) =>
        Path.Combine(ImportFolder, string.Create(CultureInfo.InvariantCulture, $".{fileName}.{size}.uploading"));

    public Task RemoveStaleUploadsAsync(TimeSpan untouchedFor, CancellationToken cancellationToken)
    {
        if (Directory.Exists(ImportFolder))
        {
            foreach (var partial in Directory.EnumerateFiles(ImportFolder, ".*.uploading"))
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(partial) > untouchedFor)
                {
                    File.Delete(partial);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task AdoptAsync(string sessionDisk, string versionPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(versionPath)!);
        File.Move(sessionDisk, versionPath, overwrite: false);
        return Task.CompletedTask;
    }

    // ISO 9660: the first volume descriptor is at 32 KiB, its identifier "CD001" at byte 1.
    public bool IsInstallMedium(string path)
    {
        Span<byte> identifier = stackalloc byte[5];
        using var file = File.OpenHandle(path);
        return RandomAccess.Read(file, identifier, 32 * 1024 + 1) == identifier.Length && identifier.SequenceEqual("CD001"u8);
    }

    private static InvalidInputException Invalid(string message) => new(new Dictionary<string, string[]> { ["file"] = [message] });
}
