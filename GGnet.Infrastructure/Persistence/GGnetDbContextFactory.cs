using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Persistence;

/// <summary>
/// Creates the context for the configured provider; one context per operation. Contexts come from a pool and go back
/// to it, reset, when disposed: a new context sets up its EF Core services at its first use, which took about 8% of
/// GGnet's CPU in a storm of session starts when each operation made its own (docs/benchmarks.md, storm).
/// </summary>
public sealed class GGnetDbContextFactory(IOptions<DatabaseOptions> options) : IDbContextFactory<GGnetDbContext>
{
    // More than the operations that run at once (requests, jobs, watchers); a context beyond it is made and dropped.
    private const int PoolSize = 32;

    private readonly Lazy<PooledDbContextFactory<SqliteGGnetDbContext>> _sqlite = new(() => new(SqliteOptions(options.Value), PoolSize));
    private readonly Lazy<PooledDbContextFactory<PostgresGGnetDbContext>> _postgres = new(() => new(PostgresOptions(options.Value), PoolSize));

    public GGnetDbContext CreateDbContext() => options.Value.Provider switch
    {
        DatabaseProvider.Postgres => _postgres.Value.CreateDbContext(),
        _ => _sqlite.Value.CreateDbContext(),
    };

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
