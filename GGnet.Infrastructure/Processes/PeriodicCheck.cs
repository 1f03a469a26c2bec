using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Processes;

/// <summary>
/// Work GGnet repeats in the background: a pass as GGnet starts (unless <see cref="FirstPassAtStart"/> is off) and then one
/// every <see cref="Interval"/>. A pass that fails is tried again at the next tick, and the same failure is logged once, not
/// every few seconds: a database away for a moment must neither stop the work nor fill the log.
/// </summary>
public abstract class PeriodicCheck(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The clock the passes are timed by.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>How long from one pass to the next.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether the first pass runs as GGnet starts, or one <see cref="Interval"/> later.</summary>
    protected virtual bool FirstPassAtStart => true;

    /// <summary>What a pass does, for the log when it fails ("Watching canaries failed: …").</summary>
    protected abstract string Work { get; }

    /// <summary>How a failed pass is logged: a warning, unless the work is one whose failure others act on.</summary>
    protected virtual LogLevel FailureLevel => LogLevel.Warning;

    /// <summary>One pass.</summary>
    protected abstract Task PassAsync(CancellationToken cancellationToken);

    private PeriodicTimer? _timer;

    // The intervals count from GGnet's start, not from whenever the background thread first runs.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = new PeriodicTimer(Interval, Clock);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer!;
        if (!FirstPassAtStart && !await timer.WaitForNextTickAsync(stoppingToken))
        {
            return;
        }
        string? lastProblem = null;
        do
        {
            try
            {
                await PassAsync(stoppingToken);
                lastProblem = null;
            }
            // A pass's own time-out is a failure like any other; only GGnet stopping ends the work.
            catch (Exception problem) when (problem is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (problem.Message != lastProblem)
                {
                    logger.Log(FailureLevel, "{Work} failed: {Reason}", Work, problem.Message);
                    lastProblem = problem.Message;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
