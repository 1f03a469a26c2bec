using GGnet.Infrastructure.Nodes;
using GGnet.Tests.Support;
using Npgsql;

namespace GGnet.Tests.Infrastructure.Nodes;

/// <summary>Cluster locks as PostgreSQL advisory locks, against the real server: one holder at a time, and a dead holder's lock is free at once.</summary>
public sealed class ClusterLocksTests
{
    [Fact]
    public async Task ALockHeldByOneNode_KeepsAnotherOut_UntilReleased_WhileOtherMachinesStayFree()
    {
        var database = await TestDatabases.NewPostgresAsync();
        var nodeA = new PostgresClusterLocks(database.ConnectionString!);
        var nodeB = new PostgresClusterLocks(database.ConnectionString!);

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
        await using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ALockOfANodeWhoseConnectionDied_IsFreeAtOnce()
    {
        var database = await TestDatabases.NewPostgresAsync();
        var dead = new PostgresClusterLocks(database.ConnectionString!);
        var alive = new PostgresClusterLocks(database.ConnectionString!);
        await using var held = await dead.AcquireAsync("machine:9", TimeSpan.FromSeconds(5), CancellationToken.None);

        // What a killed node leaves: the server drops its connections, and their advisory locks with them.
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", admin);
            Assert.Equal(true, await kill.ExecuteScalarAsync());
        }

        await using var taken = await alive.AcquireAsync("machine:9", TimeSpan.FromSeconds(3), CancellationToken.None);
    }

    [Fact]
    public async Task ASingleNodesLocks_AreOneHolderAtATime_Too()
    {
        var locks = new LocalClusterLocks();
        var held = await locks.AcquireAsync("machine:1", TimeSpan.FromSeconds(1), CancellationToken.None);

        await Assert.ThrowsAsync<TimeoutException>(() => locks.AcquireAsync("machine:1", TimeSpan.FromMilliseconds(100), CancellationToken.None));
        await held.DisposeAsync();
        await using var again = await locks.AcquireAsync("machine:1", TimeSpan.FromSeconds(1), CancellationToken.None);
    }
}
