using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// The session disks of every strategy behind the one port: a new disk is made as the storage's strategy says; an
/// existing one is handled the way it was made (an overlay has its qcow2 file), so a changed strategy strands nothing.
/// </summary>
public sealed class SessionDiskCloner(IStoragePool pool, CopyDiskCloner files, OverlayDiskCloner overlays, SessionDiskFolder folder) : IDiskCloner
{
    public string PathFor(int sessionId) => folder.PathFor(sessionId);

    public string DataPathFor(int sessionId, int number) => folder.DataPathFor(sessionId, number);

    public string TrialPathFor(int versionId) => folder.TrialPathFor(versionId);

    public async Task CloneAsync(DiskFile source, string destinationPath, CancellationToken cancellationToken, IProgress<double>? progress = null)
    {
        var strategy = (await pool.StrategyAsync(cancellationToken)).Strategy;
        await (strategy == CloneStrategy.Overlay ? overlays : (IDiskCloner)files).CloneAsync(source, destinationPath, cancellationToken, progress);
    }

    public Task<DiskServing> ServeAsync(string path, CancellationToken cancellationToken) => Of(path).ServeAsync(path, cancellationToken);

    public Task<bool> IsServedAsync(string path, CancellationToken cancellationToken) => Of(path).IsServedAsync(path, cancellationToken);

    public Task ReleaseAsync(string path, CancellationToken cancellationToken) => Of(path).ReleaseAsync(path, cancellationToken);

    public Task<DiskFile> DataOfAsync(string path, CancellationToken cancellationToken) => Of(path).DataOfAsync(path, cancellationToken);

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Of(path).ExistsAsync(path, cancellationToken);

    public Task<long> OwnBytesAsync(string path, CancellationToken cancellationToken) => Of(path).OwnBytesAsync(path, cancellationToken);

    public Task ReuseAsync(string keptPath, string destinationPath, CancellationToken cancellationToken) => Of(keptPath).ReuseAsync(keptPath, destinationPath, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => folder.ListAsync();

    public Task DeleteAsync(string path, CancellationToken cancellationToken) => Of(path).DeleteAsync(path, cancellationToken);

    private IDiskCloner Of(string path) => File.Exists(OverlayDiskCloner.OverlayOf(path)) ? overlays : files;
}
