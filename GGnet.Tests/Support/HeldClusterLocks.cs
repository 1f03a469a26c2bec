using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Another holder keeps every machine's lock for longer than a job waits; what it does meanwhile may be given.</summary>
public sealed class HeldClusterLocks(Func<Task>? meanwhile = null) : IClusterLocks
{
    public async Task<IAsyncDisposable> AcquireAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (meanwhile is not null)
        {
            await meanwhile();
        }
        throw new TimeoutException($"Another job held the lock on {resource} for more than {timeout.TotalSeconds:0} s.");
    }
}
