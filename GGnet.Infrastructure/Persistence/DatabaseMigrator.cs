using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Persistence;

/// <summary>Brings the database schema up to date at start-up, before anything else touches it.</summary>
public sealed class DatabaseMigrator(IDbContextFactory<GGnetDbContext> contexts, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var database = options.Value;
        if (database.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            CreateDataDirectory(database.DataDirectory);
        }

        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s) on {Provider}: {Migrations}", pending.Count, database.Provider, string.Join(", ", pending));
        }
        await context.Database.MigrateAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging (kept in the file from now on): readers no longer wait for a writer, and a commit is one
            // append to the log instead of a rollback journal's several syncs. Backups use SQLite's online backup, which reads through it.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private static void CreateDataDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"GGnet can't create its data directory {directory}: permission denied. Run GGnet as root, or point GGNET__Database__DataDirectory to a directory you can write.");
        }
    }
}
