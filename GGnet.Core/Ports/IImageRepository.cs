using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;

namespace GGnet.Core.Ports;

/// <summary>Where images and their versions live.</summary>
public interface IImageRepository
{
    /// <summary>Every image with its versions, by name.</summary>
    Task<IReadOnlyList<Image>> ListAsync(CancellationToken cancellationToken);

    Task<Image?> FindAsync(int imageId, CancellationToken cancellationToken);

    Task<ImageVersion?> FindVersionAsync(int versionId, CancellationToken cancellationToken);

    /// <summary>Images whose current version is ready to boot, by name.</summary>
    Task<IReadOnlyList<Image>> ListBootableAsync(CancellationToken cancellationToken);

    Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Saves a new image with its first version; the version's path is made from the saved ids.</summary>
    Task<ImageVersion> AddWithFirstVersionAsync(Image image, Func<Image, ImageVersion> firstVersion, Func<Image, AuditEvent> audit, CancellationToken cancellationToken);

    /// <summary>Saves the version (with its audit event); with <paramref name="makeCurrent"/> it becomes the image's current version in the same step.</summary>
    Task SaveVersionAsync(ImageVersion version, AuditEvent? audit, CancellationToken cancellationToken, bool makeCurrent = false);

    /// <summary>Adds a further version of an image (with its audit event), optionally making it current in the same step.</summary>
    Task AddVersionAsync(ImageVersion version, AuditEvent audit, bool makeCurrent, CancellationToken cancellationToken);

    /// <summary>Removes one version's record (its file is the caller's).</summary>
    Task DeleteVersionAsync(ImageVersion version, CancellationToken cancellationToken);

    /// <summary>Saves the image's kind (system or data), with its audit event, in one commit.</summary>
    Task SaveKindAsync(Image image, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Saves its sessions' write quota, with its audit event, in one commit.</summary>
    Task SaveSessionQuotaAsync(Image image, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Versions some session (not ended) uses, as its disk or as a data disk.</summary>
    /// <summary>The images with a canary running, with their versions (what the canary watch reads every few seconds).</summary>
    Task<IReadOnlyList<Image>> ListWithCanaryAsync(CancellationToken cancellationToken);

    /// <summary>Saves the image's canary (started or ended) with its audit entry, in one commit.</summary>
    Task SaveCanaryAsync(Image image, AuditEvent audit, CancellationToken cancellationToken);

    Task<IReadOnlySet<int>> VersionsInUseAsync(int imageId, CancellationToken cancellationToken);

    /// <summary>Makes the version the one new sessions use.</summary>
    Task MakeCurrentAsync(int imageId, int versionId, CancellationToken cancellationToken);

    /// <summary>How many sessions (not ended) use any version of the image, as their disk or as a data disk.</summary>
    Task<int> CountActiveSessionsAsync(int imageId, CancellationToken cancellationToken);

    Task DeleteAsync(Image image, AuditEvent audit, CancellationToken cancellationToken);
}
