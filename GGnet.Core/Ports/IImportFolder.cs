namespace GGnet.Core.Ports;

/// <summary>The import folder admins drop files into (and uploads arrive in): read only, nothing outside it is reachable.</summary>
public interface IImportFolder
{
    /// <summary>The folder, as shown to admins.</summary>
    string Path { get; }

    /// <summary>Files in the import folder (relative paths), for the import dialog.</summary>
    Task<IReadOnlyList<string>> ListImportableAsync(CancellationToken cancellationToken);

    /// <summary>The full path of a file in the import folder; throws <see cref="Errors.InvalidInputException"/> for anything outside it or missing.</summary>
    string ResolveImport(string relativePath);

    /// <summary>Whether a file is an ISO 9660 image (a CD/DVD image: "CD001" in its first volume descriptor).</summary>
    bool IsInstallMedium(string path);

    /// <summary>Checks that every data file an image names (a VMDK's extents) is a file of the import folder; throws <see cref="Errors.InvalidInputException"/> otherwise.</summary>
    void CheckDataFiles(string imagePath, IReadOnlyList<string> dataFiles);
}
