using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GGnet.Tests.Infrastructure.Persistence;

/// <summary>What EF Core really throws when the database goes away, on both providers, against what is no outage.</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Sqlite_TheFileReplacedByAFolder_IsAnOutage_AUniqueViolationIsNot()
    {
        using var data = new TempDirectory();
        var factory = await TestDatabases.MigratedAsync(TestDatabases.NewSqlite(data));
        await AddMachineAsync(factory, "52:54:00:bb:00:01");

        var duplicate = await Record(() => AddMachineAsync(factory, "52:54:00:bb:00:01"));
        var database = Path.Combine(data.Path, "ggnet.db");
        File.Move(database, database + ".away");
        Directory.CreateDirectory(database);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var gone = await Record(() => CountMachinesAsync(factory));

        Assert.IsType<DbUpdateException>(duplicate);
        Assert.False(DatabaseOutage.Is(duplicate));
        Assert.True(DatabaseOutage.Is(gone));
        Assert.Contains("unable to open database file", DatabaseOutage.ReasonOf(gone!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_NothingListening_IsAnOutage_ThoughEfWrapsIt()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var factory = new GGnetDbContextFactory(Options.Create(new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = $"Host=127.0.0.1;Port={port};Database=ggnet;Username=ggnet;Timeout=3",
        }));

        var refused = await Record(() => CountMachinesAsync(factory));

        // EF Core wraps it: "…likely due to a transient failure…".
        Assert.IsType<InvalidOperationException>(refused);
        Assert.IsAssignableFrom<NpgsqlException>(refused.InnerException);
        Assert.True(DatabaseOutage.Is(refused));
    }

    [Fact]
    public async Task Postgres_TheServerDroppingTheConnections_IsAnOutage_AUniqueViolationIsNot()
    {
        var options = await TestDatabases.NewPostgresAsync();
        var factory = await TestDatabases.MigratedAsync(options);
        await AddMachineAsync(factory, "52:54:00:bb:00:02");

        var duplicate = await Record(() => AddMachineAsync(factory, "52:54:00:bb:00:02"));
        await TerminateConnectionsAsync(new NpgsqlConnectionStringBuilder(options.ConnectionString).Database!);
        var dropped = await Record(() => CountMachinesAsync(factory));

        Assert.IsType<DbUpdateException>(duplicate);
        Assert.False(DatabaseOutage.Is(duplicate));
        Assert.NotNull(dropped);
        Assert.True(DatabaseOutage.Is(dropped), dropped.ToString());
    }

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }

    // What an administrator's restart of PostgreSQL does to the open connections of GGnet (which pools them).
    private static async Task TerminateConnectionsAsync(string database)
    {
        await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable));
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue("database", database);
        await terminate.ExecuteNonQueryAsync();
    }

    private static async Task AddMachineAsync(IDbContextFactory<GGnetDbContext> factory, string mac)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.Machines.Add(new Machine(new MachineDetails(Hostname.Parse("pc-" + mac[^2..]), MacAddress.Parse(mac), null, null, null, Firmware.Bios, null, true), DateTime.UtcNow));
        await db.SaveChangesAsync();
    }

    private static async Task CountMachinesAsync(IDbContextFactory<GGnetDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Machines.CountAsync();
    }
}
