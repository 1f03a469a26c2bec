using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Images to read, added by the test (none by default); of changes, only which version is current and canaries (the objects are the store).</summary>
public sealed class InMemoryImages : IImageRepository
{
    private readonly List<Image> _images = [];
    private readonly List<ImageVersion> _versions = [];

    /// <summary>An image with its first version, current and ready; ids given in order.</summary>
    public ImageVersion Add(string name, string path, ImageKind kind = ImageKind.System)
    {
        var at = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        var image = new Image(name, null, "node-1", at);
        image.UseAs(kind);
        typeof(Image).GetProperty(nameof(Image.Id))!.SetValue(image, _images.Count + 1);
        var version = new ImageVersion(image.Id, 1, DiskFormat.Raw, 64 << 20, path, at);
        typeof(ImageVersion).GetProperty(nameof(ImageVersion.Id))!.SetValue(version, _versions.Count + 1);
        version.MarkReady();
        image.MakeCurrent(version);
        image.Versions.Add(version);
        _images.Add(image);
        _versions.Add(version);
        return version;
    }

    /// <summary>The image's next version, ready and not current, shaped by <paramref name="shape"/> (e.g. a candidate's test boot).</summary>
    public ImageVersion AddVersion(int imageId, Action<ImageVersion> shape)
    {
        var image = _images.Single(i => i.Id == imageId);
        var version = new ImageVersion(imageId, image.Versions.Count + 1, DiskFormat.Raw, 64 << 20, $"/images/{imageId}-v{image.Versions.Count + 1}.img", DateTime.UtcNow);
        typeof(ImageVersion).GetProperty(nameof(ImageVersion.Id))!.SetValue(version, _versions.Count + 1);
        version.MarkReady();
        shape(version);
        image.Versions.Add(version);
        _versions.Add(version);
        return version;
    }

    public Task<IReadOnlyList<Image>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Image>>([.. _images]);

    public Task<Image?> FindAsync(int imageId, CancellationToken cancellationToken) => Task.FromResult(_images.FirstOrDefault(i => i.Id == imageId));

    public Task<ImageVersion?> FindVersionAsync(int versionId, CancellationToken cancellationToken) => Task.FromResult(_versions.FirstOrDefault(v => v.Id == versionId));

    public Task<IReadOnlyList<Image>> ListBootableAsync(CancellationToken cancellationToken) => ListAsync(cancellationToken);

    public Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<ImageVersion> AddWithFirstVersionAsync(Image image, Func<Image, ImageVersion> firstVersion, Func<Image, AuditEvent> audit, CancellationToken cancellationToken) =>
        throw NoneHere();

    public Task SaveVersionAsync(ImageVersion version, AuditEvent? audit, CancellationToken cancellationToken, bool makeCurrent = false) => throw NoneHere();

    public Task AddVersionAsync(ImageVersion version, AuditEvent audit, bool makeCurrent, CancellationToken cancellationToken) => throw NoneHere();

    public Task DeleteVersionAsync(ImageVersion version, CancellationToken cancellationToken) => throw NoneHere();

    public Task SaveKindAsync(Image image, AuditEvent audit, CancellationToken cancellationToken) => throw NoneHere();

    public Task SaveSessionQuotaAsync(Image image, AuditEvent audit, CancellationToken cancellationToken) => throw NoneHere();

    public List<AuditEvent> CanaryAudit { get; } = [];

    public Task<IReadOnlyList<Image>> ListWithCanaryAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Image>>([.. _images.Where(i => i.CanaryVersionId is not null)]);

    public Task SaveCanaryAsync(Image image, AuditEvent audit, CancellationToken cancellationToken)
    {
        CanaryAudit.Add(audit);
        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<int>> VersionsInUseAsync(int imageId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<int>>(new HashSet<int>());

    public Task MakeCurrentAsync(int imageId, int versionId, CancellationToken cancellationToken)
    {
        _images.Single(i => i.Id == imageId).MakeCurrent(_versions.Single(v => v.Id == versionId));
        return Task.CompletedTask;
    }

    public Task<int> CountActiveSessionsAsync(int imageId, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task DeleteAsync(Image image, AuditEvent audit, CancellationToken cancellationToken) => throw NoneHere();

    private static InvalidOperationException NoneHere() => new("images are only read in this test");
}
