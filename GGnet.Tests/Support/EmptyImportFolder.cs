using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>
/// The image folders of a component test: an import folder with nothing in it. What only the real folders do
/// (receiving, moving, deleting files) is not asked of it by the pages under test, and says so if it is.
/// </summary>
public sealed class EmptyImportFolder : IImportFolder, IUploadReceiver, IImageFolder
{
    public string Path => "/var/lib/ggnet/import";

    public Task<IReadOnlyList<string>> ListImportableAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public string ResolveImport(string relativePath) =>
        throw new InvalidInputException(new Dictionary<string, string[]> { ["file"] = [$"There is no file '{relativePath}' in the import folder {Path}."] });

    public bool IsInstallMedium(string path) => false;

    public void CheckDataFiles(string imagePath, IReadOnlyList<string> dataFiles) => ResolveImport(imagePath);

    public string PathForVersion(int imageId, int number, DiskFormat format) => $"/var/lib/ggnet/images/{imageId}/v{number}.{(format == DiskFormat.Raw ? "img" : "qcow2")}";

    public Task DeleteAsync(string path, CancellationToken cancellationToken) => throw NotHere();

    public Task<long> ReceiveAsync(string fileName, Stream content, long maxBytes, CancellationToken cancellationToken) => throw NotHere();

    public Task<long> ReceivedBytesAsync(string fileName, long size, CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<long> ReceivePartAsync(string fileName, long size, long offset, Stream content, CancellationToken cancellationToken) => throw NotHere();

    public Task RemoveStaleUploadsAsync(TimeSpan untouchedFor, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AdoptAsync(string sessionDisk, string versionPath, CancellationToken cancellationToken) => throw NotHere();

    private static NotSupportedException NotHere() => new("A component test's import folder holds no files.");
}
