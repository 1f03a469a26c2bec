namespace GGnet.Core.Ports;

/// <summary>The image folder: one file per image version.</summary>
public interface IImageFolder
{
    /// <summary>Where a version's disk file goes (.img for raw, .qcow2 for qcow2).</summary>
    string PathForVersion(int imageId, int number, Domain.Images.DiskFormat format);

    /// <summary>Deletes a disk file, and what a conversion left of it half-way (its .partial).</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Moves a session's disk to become a version's file: a rename on the same filesystem (instant), else a copy.</summary>
    Task AdoptAsync(string sessionDisk, string versionPath, CancellationToken cancellationToken);
}
