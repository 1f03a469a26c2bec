using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>For component tests of pages that name images: there are none, and none can be made.</summary>
public sealed class NoImages : IImageRepository
{
    public Task<IReadOnlyList<Image>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Image>>([]);

    public Task<Image?> FindAsync(int imageId, CancellationToken cancellationToken) => Task.FromResult<Image?>(null);

    public Task<ImageVersion?> FindVersionAsync(int versionId, CancellationToken cancellationToken) => Task.FromResult<ImageVersion?>(null);

    public Task<IReadOnlyList<Image>> ListBootableAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Image>>([]);

    public Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<ImageVersion> AddWithFirstVersionAsync(Image image, Func<Image, ImageVersion> firstVersion, Func<Image, AuditEvent> audit, CancellationToken cancellationToken) =>
        throw NoneHere();

    public Task SaveVersionAsync(ImageVersion version, AuditEvent? audit, CancellationToken cancellationToken, bool makeCurrent = false) => throw NoneHere();

    public Task AddVersionAsync(ImageVersion version, AuditEvent audit, bool makeCurrent, CancellationToken cancellationToken) => throw NoneHere();

    public Task DeleteVersionAsync(ImageVersion version, CancellationToken cancellationToken) => throw NoneHere();

    public Task<IReadOnlySet<int>> VersionsInUseAsync(int imageId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<int>>(new HashSet<int>());

    public Task MakeCurrentAsync(int imageId, int versionId, CancellationToken cancellationToken) => throw NoneHere();

    public Task<int> CountActiveSessionsAsync(int imageId, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task DeleteAsync(Image image, AuditEvent audit, CancellationToken cancellationToken) => throw NoneHere();

    private static InvalidOperationException NoneHere() => new("no images in this test");
}
