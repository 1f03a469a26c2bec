using GGnet.Core.Ports;
using Hangfire;
using Hangfire.Storage;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// Cluster-wide locks from the job store itself (a lock row in PostgreSQL, or in the SQLite job file for a single node):
/// no home-made locking, and every node that shares the job store shares the locks.
/// </summary>
public sealed class HangfireClusterLocks(JobStorage storage) : IClusterLocks
{
    public async Task<IAsyncDisposable> AcquireAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = storage.GetConnection();
        try
        {
            // Hangfire's lock call blocks while it waits: keep it off the caller's thread.
            var handle = await Task.Run(() => connection.AcquireDistributedLock("ggnet:" + resource, timeout), cancellationToken);
            return new Held(connection, handle);
        }
        catch (DistributedLockTimeoutException timedOut)
        {
            connection.Dispose();
            throw new TimeoutException($"Another GGnet node held the lock on {resource} for more than {timeout.TotalSeconds:0} s.", timedOut);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Held(IStorageConnection connection, IDisposable handle) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            handle.Dispose();
            connection.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
