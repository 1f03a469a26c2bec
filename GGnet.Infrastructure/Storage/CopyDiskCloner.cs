using System.Globalization;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// Session disks by <c>cp --reflink=auto --sparse=always</c>: an instant shared-extent clone on XFS/btrfs,
/// a sparse full copy elsewhere. A half-made clone is removed.
/// </summary>
public sealed class CopyDiskCloner(ExternalCommand commands, IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database) : IDiskCloner
{
    private string Directory => string.IsNullOrWhiteSpace(storage.Value.DiskDirectory)
        ? Path.Combine(database.Value.DataDirectory, "disks")
        : storage.Value.DiskDirectory;

    public string PathFor(int sessionId) => Path.Combine(Path.GetFullPath(Directory), $"session-{sessionId.ToString(CultureInfo.InvariantCulture)}.img");

    public async Task CloneAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(sourcePath))
        {
            throw new FileNotFoundException($"the image file {sourcePath} is missing", sourcePath);
        }
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        File.Delete(destinationPath);
        var result = await commands.RunAsync("cp", ["--reflink=auto", "--sparse=always", "--", sourcePath, destinationPath], cancellationToken, TimeSpan.FromHours(2));
        if (!result.Succeeded)
        {
            File.Delete(destinationPath);
            throw new IOException($"copying {sourcePath} failed: {result.Explanation}");
        }
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(File.Exists(path));

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(Directory);
        IReadOnlyList<string> disks = System.IO.Directory.Exists(directory)
            ? System.IO.Directory.EnumerateFiles(directory, "session-*.img").ToList()
            : [];
        return Task.FromResult(disks);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(path);
        return Task.CompletedTask;
    }
}
