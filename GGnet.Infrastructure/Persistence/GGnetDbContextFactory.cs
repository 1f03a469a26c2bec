using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Persistence;

/// <summary>Creates the context for the configured provider; one context per operation.</summary>
public sealed class GGnetDbContextFactory(IOptions<DatabaseOptions> options) : IDbContextFactory<GGnetDbContext>
{
    private readonly DbContextOptions<SqliteGGnetDbContext> _sqlite = SqliteOptions(options.Value);
    private readonly DbContextOptions<PostgresGGnetDbContext> _postgres = PostgresOptions(options.Value);

    public GGnetDbContext CreateDbContext() => options.Value.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresGGnetDbContext(_postgres),
        _ => new SqliteGGnetDbContext(_sqlite),
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
