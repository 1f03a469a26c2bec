namespace GGnet.Core.Ports;

/// <summary>Makes and removes per-session disks (a reflink where the filesystem can, else a copy).</summary>
public interface IDiskCloner
{
    /// <summary>Where the disk of this session lives.</summary>
    string PathFor(int sessionId);

    /// <summary>Makes the session's disk; a full copy reports its progress (0–100) as it goes, a clone is done at once.</summary>
    Task CloneAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken, IProgress<double>? progress = null);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>The space this disk takes for itself: on a reflink filesystem only the blocks it does not share with its image (what the PC wrote), elsewhere all it allocates.</summary>
    Task<long> OwnBytesAsync(string path, CancellationToken cancellationToken);

    /// <summary>Gives a kept disk to a new session (a rename): a persistent PC boots its own disk again.</summary>
    Task ReuseAsync(string keptPath, string destinationPath, CancellationToken cancellationToken);

    /// <summary>Every session disk in the disk directory.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes the disk; one that is already gone is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
