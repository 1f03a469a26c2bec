namespace GGnet.Core.Ports;

/// <summary>The server's image folders: the import folder admins drop files into, and where image versions live.</summary>
public interface IImageFiles
{
    /// <summary>The import folder, as shown to admins.</summary>
    string ImportFolder { get; }

    /// <summary>Files in the import folder (relative paths), for the import dialog.</summary>
    Task<IReadOnlyList<string>> ListImportableAsync(CancellationToken cancellationToken);

    /// <summary>The full path of a file in the import folder; throws <see cref="Errors.InvalidInputException"/> for anything outside it or missing.</summary>
    string ResolveImport(string relativePath);

    /// <summary>Whether a file is an ISO 9660 image (a CD/DVD image: "CD001" in its first volume descriptor).</summary>
    bool IsInstallMedium(string path);

    /// <summary>Checks that every data file an image names (a VMDK's extents) is a file of the import folder; throws <see cref="Errors.InvalidInputException"/> otherwise.</summary>
    void CheckDataFiles(string imagePath, IReadOnlyList<string> dataFiles);

    /// <summary>Where a version's disk file goes (.img for raw, .qcow2 for qcow2).</summary>
    string PathForVersion(int imageId, int number, Domain.Images.DiskFormat format);

    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes an uploaded file into the import folder (under a hidden name until complete) and returns its length; more than maxBytes is refused.</summary>
    Task<long> ReceiveAsync(string fileName, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>How many bytes of a resumable upload (its name and size) have arrived.</summary>
    Task<long> ReceivedBytesAsync(string fileName, long size, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a part of a resumable upload at its offset (<see cref="Images.UploadOffsetException"/> when that is not
    /// where the upload stands) and returns the bytes received. What arrived before a broken connection stays; once
    /// all <paramref name="size"/> bytes are there the file moves into the import folder.
    /// </summary>
    Task<long> ReceivePartAsync(string fileName, long size, long offset, Stream content, CancellationToken cancellationToken);

    /// <summary>Removes uploads that stopped half-way (a closed browser, a crash) and were not touched for this long.</summary>
    Task RemoveStaleUploadsAsync(TimeSpan untouchedFor, CancellationToken cancellationToken);

    /// <summary>Moves a session's disk to become a version's file: a rename on the same filesystem (instant), else a copy.</summary>
    Task AdoptAsync(string sessionDisk, string versionPath, CancellationToken cancellationToken);
}
