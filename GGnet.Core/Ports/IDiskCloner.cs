using GGnet.Core.Storage;

namespace GGnet.Core.Ports;

/// <summary>
/// Session disks: made from an image version by the storage's strategy, served at their path to the iSCSI target,
/// kept or thrown away when the session ends. A disk is always named by the path the target serves.
/// </summary>
public interface IDiskCloner
{
    /// <summary>Where the disk of this session lives.</summary>
    string PathFor(int sessionId);

    /// <summary>Where the session's copy of its data image number <paramref name="number"/> (1, 2, …) lives.</summary>
    string DataPathFor(int sessionId, int number);

    /// <summary>Where the disk of a version's test boot lives: beside the session disks (so clones are instant), never listed with them.</summary>
    string TrialPathFor(int versionId);

    /// <summary>Makes the session's disk; a full copy reports its progress (0–100) as it goes, a clone or overlay is done at once.</summary>
    Task CloneAsync(DiskFile source, string destinationPath, CancellationToken cancellationToken, IProgress<double>? progress = null);

    /// <summary>Makes the disk readable at its path for the iSCSI target: nothing to do for a plain file; an overlay's export is started, or restarted when it died.</summary>
    Task<DiskServing> ServeAsync(string path, CancellationToken cancellationToken);

    /// <summary>Whether the disk is readable at its path now, without starting anything: its file there; an overlay's export running (watched from then on).</summary>
    Task<bool> IsServedAsync(string path, CancellationToken cancellationToken);

    /// <summary>Stops serving the disk and keeps its data (a kept disk, or before a rename).</summary>
    Task ReleaseAsync(string path, CancellationToken cancellationToken);

    /// <summary>The file that holds the disk's data, and its format: what a commit turns into a version.</summary>
    Task<DiskFile> DataOfAsync(string path, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>The space this disk takes for itself: what the PC wrote (reflink: unshared blocks; overlay: the overlay file), for a full copy all it allocates.</summary>
    Task<long> OwnBytesAsync(string path, CancellationToken cancellationToken);

    /// <summary>Gives a kept (not served) disk to another session: a rename. A persistent PC boots its own disk again.</summary>
    Task ReuseAsync(string keptPath, string destinationPath, CancellationToken cancellationToken);

    /// <summary>Every session disk in the disk directory.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stops serving and removes the disk; one that is already gone is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
