using GGnet.Core.Ports;
using Medallion.Threading.Postgres;

namespace GGnet.Infrastructure.Nodes;

/// <summary>
/// Cluster-wide locks as PostgreSQL advisory locks: a lock lives as long as the connection that took it, so the locks
/// of a node that is killed are free at once and its work can be picked up without waiting for them to expire.
/// </summary>
public sealed class PostgresClusterLocks(string connectionString) : IClusterLocks
{
    public async Task<IAsyncDisposable> AcquireAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clusterLock = new PostgresDistributedLock(new PostgresAdvisoryLockKey("ggnet:" + resource, allowHashing: true), connectionString);
        var handle = await clusterLock.TryAcquireAsync(timeout, cancellationToken)
            ?? throw new TimeoutException($"Another GGnet node held the lock on {resource} for more than {timeout.TotalSeconds:0} s.");
        return new Held(handle);
    }

    // A lock whose connection the server dropped is already gone: releasing it then fails, and must not fail the work it guarded.
    private sealed class Held(PostgresDistributedLockHandle handle) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await handle.DisposeAsync();
            }
            catch (Npgsql.NpgsqlException)
            {
            }
        }
    }
}
