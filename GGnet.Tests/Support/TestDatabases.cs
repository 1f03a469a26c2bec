using GGnet.Core.Machines;
using GGnet.Core.Sessions;
using GGnet.Core.Webhooks;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Persistence.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GGnet.Tests.Support;

/// <summary>Fresh, throw-away databases: a SQLite file in a temp directory, or a new database on the test PostgreSQL server.</summary>
public static class TestDatabases
{
    /// <summary>Set by deploy/test.sh (and so by .ci/run), which starts a private PostgreSQL cluster on loopback.</summary>
    public const string PostgresVariable = "GGNET_TEST_POSTGRES";

    public static DatabaseOptions NewSqlite(TempDirectory directory) => new() { Provider = DatabaseProvider.Sqlite, DataDirectory = directory.Path };

    public static async Task<DatabaseOptions> NewPostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"These tests need a PostgreSQL server: set {PostgresVariable} to an Npgsql connection string of a superuser, or run the suite with deploy/test.sh, which starts one.");
        }

        var name = "ggnet_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = builder.ConnectionString };
    }

    /// <summary>GGnet's context factory for <paramref name="options"/>, with every migration applied as GGnet does at start.</summary>
    public static async Task<IDbContextFactory<GGnetDbContext>> MigratedAsync(DatabaseOptions options)
    {
        var factory = new GGnetDbContextFactory(Options.Create(options));
        await new DatabaseMigrator(factory, Options.Create(options), NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return factory;
    }

    /// <summary>The session repository as GGnet wires it on this database: what follows its commits goes to these screens and webhooks.</summary>
    internal static SessionRepository SessionsOn(IDbContextFactory<GGnetDbContext> factory, RecordingStatusNotifier? notifier = null, InMemoryWebhooks? webhooks = null)
    {
        webhooks ??= new InMemoryWebhooks();
        notifier ??= new RecordingStatusNotifier();
        var publish = new PublishWebhookEvents(webhooks, webhooks, TimeProvider.System);
        var machines = new MachineRepository(factory, new AfterMachineCommit(new CountingBootSyncTrigger(), notifier, publish), NullLogger<MachineRepository>.Instance);
        return new SessionRepository(factory, new AfterSessionCommit(notifier, publish, machines, new ImageRepository(factory)), NullLogger<SessionRepository>.Instance);
    }
}
