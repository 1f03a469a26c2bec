using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// Hangfire's SQLite store finds new jobs only by polling. This wraps it so that a job this process puts in a queue
/// (created, retried, or enqueued by the scheduler) wakes the waiting workers at once (<see cref="Wake"/>, called by
/// <see cref="WakingTransaction"/> after the commit), and the poll can be slow enough to cost an idle server next to
/// nothing. It changes nothing else: every other call goes to the store as it is.
/// </summary>
public sealed class WakingJobStorage(JobStorage inner) : JobStorage, IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _wake = new();
    private bool _disposed;

    /// <summary>Wakes every worker waiting for a job: each looks at its queues again now.</summary>
    public void Wake()
    {
        CancellationTokenSource woken;
        lock (_gate)
        {
            // Hangfire's filters are process-wide: one of a storage already disposed may still be asked.
            if (_disposed)
            {
                return;
            }
            woken = _wake;
            _wake = new CancellationTokenSource();
        }
        // Not disposed: a worker may be linking to its token this moment. It holds no timer and no handle of its own.
        woken.Cancel();
    }

    internal CancellationToken WakeToken
    {
        get
        {
            lock (_gate)
            {
                return _disposed ? CancellationToken.None : _wake.Token;
            }
        }
    }

    public override IMonitoringApi GetMonitoringApi() => inner.GetMonitoringApi();

    public override IStorageConnection GetConnection() => new WakingConnection((JobStorageConnection)inner.GetConnection(), this);

    public override bool HasFeature(string featureId) => inner.HasFeature(featureId);

    public override bool LinearizableReads => inner.LinearizableReads;

    public override IEnumerable<IBackgroundProcess> GetServerRequiredProcesses() => inner.GetServerRequiredProcesses();

    public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses() => inner.GetStorageWideProcesses();

    public override IEnumerable<IStateHandler> GetStateHandlers() => inner.GetStateHandlers();

    public override void WriteOptionsToLog(Hangfire.Logging.ILog logger) => inner.WriteOptionsToLog(logger);

    public override string ToString() => inner.ToString() ?? nameof(WakingJobStorage);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _wake.Dispose();
        }
        (inner as IDisposable)?.Dispose();
    }
}
