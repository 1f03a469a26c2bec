using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// Session disks as the storage's strategy says: a reflink clone (<see cref="FileClone"/>: instant, sharing every
/// extent, on XFS/btrfs) or a sparse full copy by <c>cp</c>. A half-made clone is removed; a
/// full filesystem is reported as such (<see cref="Core.Storage.StorageFullException"/>), with what is free once it is gone.
/// </summary>
public sealed class CopyDiskCloner(ExternalCommand commands, IStoragePool pool, IDiskImageTool images, SessionDiskFolder folder, ILogger<CopyDiskCloner> logger) : IDiskCloner
{
    public string PathFor(int sessionId) => folder.PathFor(sessionId);

    public string DataPathFor(int sessionId, int number) => folder.DataPathFor(sessionId, number);

    public string TrialPathFor(int versionId) => folder.TrialPathFor(versionId);

    public async Task CloneAsync(DiskFile source, string destinationPath, CancellationToken cancellationToken, IProgress<double>? progress = null)
    {
        var sourcePath = source.Path;
        if (!File.Exists(sourcePath))
        {
            throw new FileNotFoundException($"the image file {sourcePath} is missing", sourcePath);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        File.Delete(destinationPath);
        if (source.Format != DiskFormat.Raw)
        {
            // A qcow2 version (committed on an overlay pool) reads as a disk only through qemu: made raw for this session.
            await images.ConvertAsync(sourcePath, source.Format, new DiskFile(destinationPath, DiskFormat.Raw), progress ?? new Progress<double>(), cancellationToken);
            return;
        }
        if ((await pool.StrategyAsync(cancellationToken)).Strategy == Core.Storage.CloneStrategy.Reflink)
        {
            if (FileClone.TryClone(sourcePath, destinationPath) is not { } refused)
            {
                logger.LogInformation("Cloned {Source} to {Destination} (reflink)", sourcePath, destinationPath);
                progress?.Report(100);
                return;
            }
            if (refused.NoSpace)
            {
                throw NoSpace.At(Path.GetDirectoryName(destinationPath)!);
            }
            // An image outside the reflink filesystem (e.g. registered from elsewhere) still gets its session: by copying.
            logger.LogWarning("Could not reflink {Source}, copying it instead: {Reason}", sourcePath, refused.Reason);
        }
        File.Delete(destinationPath);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = progress is null ? Task.CompletedTask : WatchCopyAsync(sourcePath, destinationPath, progress, watching.Token);
        var result = await commands.RunAsync("cp", ["--reflink=never", "--sparse=always", "--", sourcePath, destinationPath], cancellationToken, TimeSpan.FromHours(2));
        await watching.CancelAsync();
        await watcher;
        if (!result.Succeeded)
        {
            File.Delete(destinationPath);
            if (NoSpace.In(result.Explanation))
            {
                throw NoSpace.At(Path.GetDirectoryName(destinationPath)!);
            }
            throw new IOException($"copying {sourcePath} failed: {result.Explanation}");
        }
        progress?.Report(100);
    }

    // cp writes in order: the copy's size against the image's says how far it is.
    private static async Task WatchCopyAsync(string source, string destination, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var total = Math.Max(1, new FileInfo(source).Length);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var copied = File.Exists(destination) ? new FileInfo(destination).Length : 0;
                progress.Report(Math.Min(100, 100.0 * copied / total));
            }
        }
        catch (OperationCanceledException)
        {
            // The copy is done (or abandoned).
        }
    }

    public Task<DiskServing> ServeAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? Task.FromResult(DiskServing.AlreadyServed) : throw new IOException($"the disk {path} is missing");

    public Task<bool> IsServedAsync(string path, CancellationToken cancellationToken) => Task.FromResult(File.Exists(path));

    public Task ReleaseAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<DiskFile> DataOfAsync(string path, CancellationToken cancellationToken) => Task.FromResult(new DiskFile(path, DiskFormat.Raw));

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(File.Exists(path));

    public async Task<long> OwnBytesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        // The extents the file shares with no other (FIEMAP); without an extent map (tmpfs) du gives what the file allocates.
        return Files.FileOwnBytes.Of(path) ?? await folder.AllocatedBytesAsync(path, cancellationToken);
    }

    public Task ReuseAsync(string keptPath, string destinationPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        File.Move(keptPath, destinationPath, overwrite: false);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => folder.ListAsync();

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(path);
        return Task.CompletedTask;
    }
}
