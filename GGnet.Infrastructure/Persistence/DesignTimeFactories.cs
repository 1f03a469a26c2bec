using Microsoft.EntityFrameworkCore.Design;

namespace GGnet.Infrastructure.Persistence;

// Used by `dotnet ef migrations add` only: one factory per provider so each keeps its own migrations.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGGnetDbContext>
{
    public SqliteGGnetDbContext CreateDbContext(string[] args) =>
        new(GGnetDbContextFactory.SqliteOptions(new DatabaseOptions { ConnectionString = "Data Source=design.db" }));
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGGnetDbContext>
{
    public PostgresGGnetDbContext CreateDbContext(string[] args) =>
        new(GGnetDbContextFactory.PostgresOptions(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=127.0.0.1;Database=ggnet_design" }));
}
