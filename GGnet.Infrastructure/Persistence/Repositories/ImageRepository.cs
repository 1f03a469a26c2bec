using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class ImageRepository(IDbContextFactory<GGnetDbContext> contexts) : IImageRepository
{
    private static readonly List<SessionState> Active = [.. Session.ActiveStates];

    public async Task<IReadOnlyList<Image>> ListWithCanaryAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Images.AsNoTracking().Where(i => i.CanaryVersionId != null).Include(i => i.Versions).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Image>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Images.AsNoTracking().Include(i => i.Versions).OrderBy(i => i.Name).ToListAsync(cancellationToken);
    }

    public async Task<Image?> FindAsync(int imageId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Images.AsNoTracking().Include(i => i.Versions).FirstOrDefaultAsync(i => i.Id == imageId, cancellationToken);
    }

    public async Task<ImageVersion?> FindVersionAsync(int versionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ImageVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);
    }

    public async Task<IReadOnlyList<Image>> ListBootableAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Images.AsNoTracking()
            .Where(i => i.Kind == ImageKind.System && db.ImageVersions.Any(v => v.Id == i.CurrentVersionId && v.Status == ImageStatus.Ready))
            .OrderBy(i => i.Name)
            .ToListAsync(cancellationToken);
    }

    public async Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Images.AnyAsync(i => i.Name == name, cancellationToken);
    }

    public async Task<ImageVersion> AddWithFirstVersionAsync(Image image, Func<Image, ImageVersion> firstVersion, Func<Image, AuditEvent> audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Images.Add(image);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException clash) when (UniqueViolation.Matches(clash))
        {
            throw new ConflictException($"An image named '{image.Name}' already exists. Choose another name.");
        }
        var version = firstVersion(image);
        db.ImageVersions.Add(version);
        db.AuditEvents.Add(audit(image));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task SaveVersionAsync(ImageVersion version, AuditEvent? audit, CancellationToken cancellationToken, bool makeCurrent = false)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ImageVersions.Update(version);
        if (makeCurrent)
        {
            (await db.Images.FirstAsync(i => i.Id == version.ImageId, cancellationToken)).MakeCurrent(version);
        }
        if (audit is not null)
        {
            db.AuditEvents.Add(audit);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task AddVersionAsync(ImageVersion version, AuditEvent audit, bool makeCurrent, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ImageVersions.Add(version);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        if (makeCurrent)
        {
            (await db.Images.FirstAsync(i => i.Id == version.ImageId, cancellationToken)).MakeCurrent(version);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteVersionAsync(ImageVersion version, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Ended sessions of this version go with it, like an image's history goes with the image.
        await db.Sessions.Where(s => s.ImageVersionId == version.Id && !Active.Contains(s.State)).ExecuteDeleteAsync(cancellationToken);
        await db.ImageVersions.Where(v => v.Id == version.Id).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<IReadOnlySet<int>> VersionsInUseAsync(int imageId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.Sessions.Where(s => (Active.Contains(s.State) || s.KeptDiskPath != null) && db.ImageVersions.Any(v => v.Id == s.ImageVersionId && v.ImageId == imageId))
            .Select(s => s.ImageVersionId).Distinct().ToListAsync(cancellationToken);
        var versions = await db.ImageVersions.Where(v => v.ImageId == imageId).Select(v => v.Id).ToListAsync(cancellationToken);
        return ids.Concat((await DataVersionsInUseAsync(db, cancellationToken)).Intersect(versions)).ToHashSet();
    }

    // The versions running sessions have copies of beside their own disk (an overlay's copy reads its version's file).
    private static async Task<HashSet<int>> DataVersionsInUseAsync(GGnetDbContext db, CancellationToken cancellationToken) =>
        (await CopiedVersionsAsync(db, cancellationToken)).SelectMany(ids => ids).ToHashSet();

    // Per active session: the versions it has throwaway copies of (data images, or the system a data image's maintenance boots).
    private static async Task<List<IReadOnlyList<int>>> CopiedVersionsAsync(GGnetDbContext db, CancellationToken cancellationToken) =>
        (await db.Sessions.Where(s => Active.Contains(s.State)).Select(s => new { s.DataImageVersionIds, s.SystemCopyVersionId }).ToListAsync(cancellationToken))
            .Select(s => s.SystemCopyVersionId is { } system ? [system] : s.DataImageVersionIds).ToList();

    // Each setting alone, so a kind and a quota saved at the same time don't undo each other; with its audit in one commit.
    public Task SaveKindAsync(Image image, AuditEvent audit, CancellationToken cancellationToken) =>
        SaveAsync(image, set => set.SetProperty(i => i.Kind, image.Kind), audit, cancellationToken);

    public Task SaveSessionQuotaAsync(Image image, AuditEvent audit, CancellationToken cancellationToken) =>
        SaveAsync(image, set => set.SetProperty(i => i.SessionQuotaBytes, image.SessionQuotaBytes), audit, cancellationToken);

    public Task SaveCanaryAsync(Image image, AuditEvent audit, CancellationToken cancellationToken) =>
        SaveAsync(image, set => set.SetProperty(i => i.CanaryVersionId, image.CanaryVersionId).SetProperty(i => i.CanaryGroupId, image.CanaryGroupId)
            .SetProperty(i => i.CanarySince, image.CanarySince), audit, cancellationToken);

    private async Task SaveAsync(Image image, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Image>> setting, AuditEvent audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Images.Where(i => i.Id == image.Id).ExecuteUpdateAsync(setting, cancellationToken);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task MakeCurrentAsync(int imageId, int versionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var image = await db.Images.FirstAsync(i => i.Id == imageId, cancellationToken);
        var version = await db.ImageVersions.FirstAsync(v => v.Id == versionId && v.ImageId == imageId, cancellationToken);
        image.MakeCurrent(version);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<int> CountActiveSessionsAsync(int imageId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var booting = await db.Sessions.CountAsync(s => Active.Contains(s.State) && db.ImageVersions.Any(v => v.Id == s.ImageVersionId && v.ImageId == imageId), cancellationToken);
        var versions = await db.ImageVersions.Where(v => v.ImageId == imageId).Select(v => v.Id).ToListAsync(cancellationToken);
        var withCopies = (await CopiedVersionsAsync(db, cancellationToken)).Count(ids => ids.Any(versions.Contains));
        return booting + withCopies;
    }

    // Ended sessions of a deleted image go with it (their targets cascade), like a machine's history goes with the machine.
    public async Task DeleteAsync(Image image, AuditEvent audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var versionIds = await db.ImageVersions.Where(v => v.ImageId == image.Id).Select(v => v.Id).ToListAsync(cancellationToken);
        await db.Sessions.Where(s => versionIds.Contains(s.ImageVersionId) && !Active.Contains(s.State) && s.KeptDiskPath == null).ExecuteDeleteAsync(cancellationToken);
        await db.Images.Where(i => i.Id == image.Id).ExecuteUpdateAsync(set => set.SetProperty(i => i.CurrentVersionId, (int?)null), cancellationToken);
        await db.ImageVersions.Where(v => v.ImageId == image.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Images.Where(i => i.Id == image.Id).ExecuteDeleteAsync(cancellationToken);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
