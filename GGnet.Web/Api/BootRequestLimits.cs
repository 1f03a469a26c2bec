using System.Collections.Concurrent;

namespace GGnet.Web.Api;

/// <summary>
/// How many boot requests each client (its card, or its address: <see cref="BootClientCards"/>), and all of them
/// together, may make in one minute (fixed windows). Kept without a timer: the counts of a minute are dropped by the
/// first request of the next, so an idle GGnet does nothing here (.NET's partitioned rate limiters tick ten times a
/// second, each, for ever). A client over its own limit does not use up the others' budget; once that is spent, a new
/// client is refused without being remembered, so addresses made up by a client can't grow the counts beyond the budget.
/// </summary>
public sealed class BootRequestLimits(int perClient, int all, TimeProvider clock)
{
    private Window _window = new(long.MinValue);

    /// <summary>True when this request is within the limits (and counted); false when it must get 429.</summary>
    public bool TryTake(string client)
    {
        var window = Current();
        if (Volatile.Read(ref window.All) >= all && !window.PerClient.ContainsKey(client))
        {
            return false;
        }
        if (window.PerClient.AddOrUpdate(client, 1, (_, count) => count + 1) > perClient)
        {
            return false;
        }
        return Interlocked.Increment(ref window.All) <= all;
    }

    /// <summary>The clients counted in the current minute (reading it starts no new window).</summary>
    public int ClientsCounted => Volatile.Read(ref _window) is { } window && window.Minute == Minute() ? window.PerClient.Count : 0;

    private long Minute() => clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;

    private Window Current()
    {
        var minute = Minute();
        var window = Volatile.Read(ref _window);
        if (window.Minute == minute)
        {
            return window;
        }
        var fresh = new Window(minute);
        return Interlocked.CompareExchange(ref _window, fresh, window) == window ? fresh : Volatile.Read(ref _window);
    }

    private sealed class Window(long minute)
    {
        public readonly long Minute = minute;
        public readonly ConcurrentDictionary<string, int> PerClient = new();
        public int All;
    }
}
