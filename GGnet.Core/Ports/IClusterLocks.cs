namespace GGnet.Core.Ports;

/// <summary>
/// Locks every node sees (PostgreSQL's advisory locks; in memory for a single node), so that work on one machine or one
/// node's reconcile never runs twice at once, whichever node picked it up. A dead holder's locks are free at once.
/// </summary>
public interface IClusterLocks
{
    /// <summary>Waits up to <paramref name="timeout"/> for the lock; throws <see cref="TimeoutException"/> when another holder keeps it.</summary>
    Task<IAsyncDisposable> AcquireAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken);
}
