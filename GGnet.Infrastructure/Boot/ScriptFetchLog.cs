using System.Threading.Channels;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Boot;

/// <summary>
/// Saves script fetches in batches: one writer takes whatever has come in since its last save (up to
/// <see cref="MaxBatch"/>) and saves it in one transaction, then tells the screens about the machines it changed. When
/// PCs come one by one, each fetch is saved at once; when a hall boots together (a batch of <see cref="StormBatch"/> or
/// more), the writer lets the next fetches gather for <see cref="GatherTime"/>, so the database gets a few transactions a
/// second instead of hundreds. What is still waiting at shutdown is saved before the process ends.
/// </summary>
public sealed class ScriptFetchLog(IBootRepository boot, IStatusNotifier notifier, TimeProvider clock, ILogger<ScriptFetchLog> logger) : BackgroundService, IScriptFetchLog
{
    /// <summary>
    /// Fetches in one save at most: a batch's lists stay under .NET's large-object size (85,000 bytes), so they die young
    /// instead of counting toward a full collection. At 20,000, 90,000 fetches a second made lists of 16,384 entries ten
    /// times a second and nine full collections in 10 s (docs/benchmark-history.md).
    /// </summary>
    public const int MaxBatch = 8_000;

    /// <summary>Fetches in one save from which the writer takes it for a storm.</summary>
    public const int StormBatch = 100;

    /// <summary>Fetches waiting at most; beyond it (a database far slower than the requests) new ones are counted, logged and not recorded.</summary>
    public const int MaxWaiting = 200_000;

    /// <summary>How long fetches gather after a storm's batch: a tile shows a PC's fetch this much later at most.</summary>
    public static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(100);

    private readonly Channel<BootEvent> _waiting = Channel.CreateBounded<BootEvent>(new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly List<BootEvent> _batch = new(MaxBatch);
    private long _dropped;

    public void Add(BootEvent fetched)
    {
        if (!_waiting.Writer.TryWrite(fetched))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(stoppingToken))
            {
                if (await SaveWaitingAsync(stoppingToken) is >= StormBatch and < MaxBatch)
                {
                    await Task.Delay(GatherTime, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await SaveWaitingAsync(last.Token);
    }

    /// <summary>Saves what is waiting (in the one list the writer keeps for it, empty again after each save); returns how many fetches that was.</summary>
    private async Task<int> SaveWaitingAsync(CancellationToken cancellationToken)
    {
        var batch = _batch;
        while (batch.Count < MaxBatch && _waiting.Reader.TryRead(out var fetched))
        {
            batch.Add(fetched);
        }
        var count = batch.Count;
        if (count == 0)
        {
            return 0;
        }
        IReadOnlyCollection<int> changed;
        try
        {
            changed = await boot.RecordScriptFetchesAsync(batch, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database is unreachable: the PCs got their scripts; only the record of the fetches is lost.
            logger.LogWarning("Could not record {Count} script fetches: {Reason}", count, failure.Message);
            return count;
        }
        finally
        {
            batch.Clear();
        }
        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
        {
            logger.LogWarning("{Count} script fetches were not recorded: they came faster than the database could save them", dropped);
        }
        foreach (var machineId in changed)
        {
            notifier.MachineObserved(machineId);
        }
        return count;
    }
}
