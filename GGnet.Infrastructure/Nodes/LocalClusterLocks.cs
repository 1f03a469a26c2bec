using System.Collections.Concurrent;
using GGnet.Core.Ports;

namespace GGnet.Infrastructure.Nodes;

/// <summary>
/// The locks of a cluster of one (GGnet on SQLite is a single process): in memory, gone with the process, so nothing a
/// killed process held outlives it.
/// </summary>
public sealed class LocalClusterLocks : IClusterLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(resource, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(timeout, cancellationToken))
        {
            throw new TimeoutException($"Another job held the lock on {resource} for more than {timeout.TotalSeconds:0} s.");
        }
        return new Held(gate);
    }

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
            return ValueTask.CompletedTask;
        }
    }
}
