using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Persistence;

/// <summary>
/// Hands out the context for the configured provider, one per operation, from a pool: a context given back (disposed) is
/// reset (nothing tracked, its connection closed, its transaction gone) and handed out again, so the next operation does
/// not build EF Core's services for a context anew (an idle GGnet's observers made one every few seconds, and each boot
/// storm thousands; see docs/benchmarks.md).
/// </summary>
public sealed class GGnetDbContextFactory : IDbContextFactory<GGnetDbContext>
{
    /// <summary>Contexts kept for reuse; more may be out at once (those are made for the operation and dropped after it).</summary>
    public const int PoolSize = 64;

    private readonly Func<GGnetDbContext> _create;

    public GGnetDbContextFactory(IOptions<DatabaseOptions> options)
    {
        if (options.Value.Provider == DatabaseProvider.Postgres)
        {
            var postgres = new PooledDbContextFactory<PostgresGGnetDbContext>(PostgresOptions(options.Value), PoolSize);
            _create = postgres.CreateDbContext;
        }
        else
        {
            var sqlite = new PooledDbContextFactory<SqliteGGnetDbContext>(SqliteOptions(options.Value), PoolSize);
            _create = sqlite.CreateDbContext;
        }
    }

    public GGnetDbContext CreateDbContext() => _create();

    internal static DbContextOptions<SqliteGGnetDbContext> SqliteOptions(DatabaseOptions database) =>
        new DbContextOptionsBuilder<SqliteGGnetDbContext>()
            .UseSqlite(database.SqliteConnectionString, sqlite => sqlite.MigrationsHistoryTable("__EFMigrationsHistory"))
            .AddInterceptors(Pragmas)
            .Options;

    private static readonly SqliteConnectionPragmas Pragmas = new();

    internal static DbContextOptions<PostgresGGnetDbContext> PostgresOptions(DatabaseOptions database) =>
        new DbContextOptionsBuilder<PostgresGGnetDbContext>()
            .UseNpgsql(database.ConnectionString ?? "Host=127.0.0.1;Database=ggnet")
            .Options;
}
