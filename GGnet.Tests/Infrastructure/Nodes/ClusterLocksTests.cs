using GGnet.Infrastructure.Jobs;
using GGnet.Tests.Support;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace GGnet.Tests.Infrastructure.Nodes;

/// <summary>The cluster locks are the job store's own: against a real PostgreSQL, a second holder waits until the first lets go.</summary>
public sealed class ClusterLocksTests
{
    [Fact]
    public async Task ALockHeldThroughOneStorage_KeepsAnotherStorageOnTheSameDatabaseOut_UntilReleased()
    {
        var database = await TestDatabases.NewPostgresAsync();
        // Two storages on one database: two nodes, each with its own connection to the job store.
        var nodeA = new HangfireClusterLocks(Storage(database.ConnectionString!));
        var nodeB = new HangfireClusterLocks(Storage(database.ConnectionString!));

        var held = await nodeA.AcquireAsync("machine:7", TimeSpan.FromSeconds(5), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<TimeoutException>(() => nodeB.AcquireAsync("machine:7", TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Contains("machine:7", refused.Message, StringComparison.Ordinal);
        await using (await nodeB.AcquireAsync("machine:8", TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            // Another machine's lock is free meanwhile.
        }

        var waiting = nodeB.AcquireAsync("machine:7", TimeSpan.FromSeconds(10), CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var second = await waiting;
    }

    private static PostgreSqlStorage Storage(string connectionString) =>
        new(new NpgsqlConnectionFactory(connectionString, new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true });
}
