using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Images with their versions, and the progress of conversions running now.</summary>
public sealed class ListImages(IImageRepository images, IImportFolder importFolder, ImageConversions conversions, ISessionRepository sessions)
{
    /// <summary>Stopped maintenance sessions whose changes wait to be committed or discarded, with the image they would update.</summary>
    public async Task<IReadOnlyList<(Domain.Sessions.Session Session, Image Image)>> WaitingChangesAsync(CancellationToken cancellationToken)
    {
        var waiting = new List<(Domain.Sessions.Session, Image)>();
        foreach (var session in (await sessions.ListKeptDisksAsync(cancellationToken)).Where(s => s.Type == Domain.Sessions.SessionType.Maintenance))
        {
            if (await images.FindVersionAsync(session.ImageVersionId, cancellationToken) is { } version
                && await images.FindAsync(version.ImageId, cancellationToken) is { } image)
            {
                waiting.Add((session, image));
            }
        }
        return waiting;
    }

    public Task<IReadOnlyList<Image>> ExecuteAsync(CancellationToken cancellationToken) => images.ListAsync(cancellationToken);

    public async Task<Image> GetAsync(int imageId, CancellationToken cancellationToken) =>
        await images.FindAsync(imageId, cancellationToken) ?? throw new Errors.NotFoundException($"There is no image with id {imageId}.");

    /// <summary>Disks persistent PCs keep between sessions, newest first.</summary>
    public async Task<IReadOnlyList<Domain.Sessions.Session>> KeptPersistentDisksAsync(CancellationToken cancellationToken) =>
        (await sessions.ListKeptDisksAsync(cancellationToken)).Where(s => s.Type == Domain.Sessions.SessionType.Normal).OrderByDescending(s => s.Id).ToList();

    public double? ProgressOf(ImageVersion version) => version.Status == ImageStatus.Converting ? conversions.ProgressOf(version.Id) ?? 0 : null;

    public Task<IReadOnlyList<string>> ImportableAsync(CancellationToken cancellationToken) => importFolder.ListImportableAsync(cancellationToken);

    public string ImportFolder => importFolder.Path;
}
