using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Processes;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// Session disks as qcow2 overlays (<c>qemu-img create -f qcow2 -b version</c>): instant on any filesystem, and only
/// what the PC writes takes space. <c>session-N.qcow2</c> holds the data; <c>session-N.img</c> is where
/// <see cref="FuseExports"/> serves it as a plain file to the iSCSI target, while the session runs.
/// </summary>
public sealed class OverlayDiskCloner(ExternalCommand commands, FuseExports exports, SessionDiskFolder folder) : IDiskCloner
{
    public string PathFor(int sessionId) => folder.PathFor(sessionId);

    public string DataPathFor(int sessionId, int number) => folder.DataPathFor(sessionId, number);

    public string TrialPathFor(int versionId) => folder.TrialPathFor(versionId);

    public static string OverlayOf(string disk) => Path.ChangeExtension(disk, ".qcow2");

    public async Task CloneAsync(DiskFile source, string destinationPath, CancellationToken cancellationToken, IProgress<double>? progress = null)
    {
        if (!File.Exists(source.Path))
        {
            throw new FileNotFoundException($"the image file {source.Path} is missing", source.Path);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        var overlay = OverlayOf(destinationPath);
        File.Delete(overlay);
        var result = await commands.RunAsync("qemu-img",
            ["create", "-q", "-f", "qcow2", "-b", Path.GetFullPath(source.Path), "-F", source.Format.ToString().ToLowerInvariant(), overlay], cancellationToken);
        if (!result.Succeeded)
        {
            File.Delete(overlay);
            if (NoSpace.In(result.Explanation))
            {
                throw NoSpace.At(Path.GetDirectoryName(overlay)!);
            }
            throw new IOException($"qemu-img could not make an overlay on {Path.GetFileName(source.Path)}: {result.Explanation}");
        }
        progress?.Report(100);
    }

    public Task<DiskServing> ServeAsync(string path, CancellationToken cancellationToken) => exports.EnsureAsync(OverlayOf(path), path, cancellationToken);

    public Task<bool> IsServedAsync(string path, CancellationToken cancellationToken) => Task.FromResult(exports.CheckServed(path));

    public Task ReleaseAsync(string path, CancellationToken cancellationToken) => exports.StopAsync(path, cancellationToken);

    public Task<DiskFile> DataOfAsync(string path, CancellationToken cancellationToken) => Task.FromResult(new DiskFile(OverlayOf(path), DiskFormat.Qcow2));

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(File.Exists(OverlayOf(path)));

    public Task<long> OwnBytesAsync(string path, CancellationToken cancellationToken) => folder.AllocatedBytesAsync(OverlayOf(path), cancellationToken);

    public Task ReuseAsync(string keptPath, string destinationPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        File.Move(OverlayOf(keptPath), OverlayOf(destinationPath), overwrite: false);
        File.Delete(keptPath);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => folder.ListAsync();

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        await exports.StopAsync(path, cancellationToken);
        File.Delete(OverlayOf(path));
        File.Delete(path);
    }
}
