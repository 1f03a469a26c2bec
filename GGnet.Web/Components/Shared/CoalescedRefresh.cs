namespace GGnet.Web.Components.Shared;

/// <summary>
/// Refreshes a screen soon after a change, and at most once per interval however many changes arrive (a boot storm,
/// conversion progress). A change after a quiet spell refreshes at once; changes that arrive while a refresh runs or
/// within the interval after it are joined into one more refresh when the interval is over.
/// </summary>
public sealed class CoalescedRefresh(Func<Func<Task>, Task> invokeAsync, Func<Task> refresh, TimeSpan interval, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private bool _running;
    private bool _again;
    private long _lastStarted = long.MinValue;

    /// <summary>Thread-safe; call it from any event handler.</summary>
    public void Request()
    {
        lock (_gate)
        {
            if (_running)
            {
                _again = true;
                return;
            }
            _running = true;
        }
        _ = invokeAsync(RunAsync);
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                if (_lastStarted != long.MinValue && _clock.GetElapsedTime(_lastStarted) is var since && since < interval)
                {
                    await Task.Delay(interval - since, _clock);
                }
                lock (_gate)
                {
                    _again = false;
                }
                _lastStarted = _clock.GetTimestamp();
                await refresh();
                lock (_gate)
                {
                    if (!_again)
                    {
                        _running = false;
                        return;
                    }
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                _running = false;
            }
            throw;
        }
    }
}
