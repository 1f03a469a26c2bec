using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Options;
using IOPath = System.IO.Path;

namespace GGnet.Infrastructure.Images;

/// <summary>The import folder, read only: nothing outside it is reachable, through a path, a link or a device.</summary>
public sealed class ImportFolder(IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database) : IImportFolder
{
    public string Path => storage.Value.ImportFolder(database.Value.DataDirectory);

    public Task<IReadOnlyList<string>> ListImportableAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> files = Directory.Exists(Path)
            ? Directory.EnumerateFiles(Path, "*", Listing)
                .Select(f => IOPath.GetRelativePath(Path, f))
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
        var folder = Path;
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            throw Invalid($"Choose a file of the import folder {folder} to import.");
        }
        var full = relativePath.Length == 0 || relativePath.Contains('\0', StringComparison.Ordinal) ? "" : IOPath.GetFullPath(IOPath.Combine(folder, relativePath));
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
        foreach (var part in IOPath.GetRelativePath(folder, full).Split('/')[..^1])
        {
            ancestor = IOPath.Combine(ancestor, part);
            if (new DirectoryInfo(ancestor).LinkTarget is not null)
            {
                throw Invalid($"'{Core.Domain.Printable.Of(relativePath)}' leads outside the import folder {folder}.");
            }
        }
        if (!Directory.EnumerateFiles(IOPath.GetDirectoryName(full)!, IOPath.GetFileName(full), OneFolder).Any())
        {
            throw Invalid($"'{Core.Domain.Printable.Of(relativePath)}' is not a plain file in the import folder {folder}.");
        }
        return target;
    }

    public void CheckDataFiles(string imagePath, IReadOnlyList<string> dataFiles)
    {
        foreach (var dataFile in dataFiles)
        {
            var full = IOPath.GetFullPath(IOPath.Combine(IOPath.GetDirectoryName(imagePath)!, dataFile));
            try
            {
                ResolveImport(IOPath.GetRelativePath(Path, full));
            }
            catch (InvalidInputException)
            {
                throw Invalid($"{IOPath.GetFileName(imagePath)} reads its data from '{Core.Domain.Printable.Of(dataFile)}', which is not a file of the import folder. Import a standalone image.");
            }
        }
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
