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

/// <summary>The names of the locks every node takes, so that all who work on one thing take the same lock.</summary>
public static class ClusterLockNames
{
    /// <summary>Held by whoever changes a machine's session: its start, its stop, a reconcile pass.</summary>
    public static string Machine(int machineId) => "machine:" + machineId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
