using GGnet.Web.Components.Shared;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Web.Components;

public sealed class CoalescedRefreshTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task AChangeAfterAQuietSpell_RefreshesAtOnce()
    {
        var clock = new FakeTimeProvider();
        var refreshes = 0;
        var refresh = new CoalescedRefresh(work => work(), () => { refreshes++; return Task.CompletedTask; }, Interval, clock);

        refresh.Request();
        await Task.Yield();

        Assert.Equal(1, refreshes);
    }

    [Fact]
    public async Task ABurstWhileRefreshing_IsJoinedIntoOneMoreRefresh_AfterTheInterval()
    {
        var clock = new FakeTimeProvider();
        var refreshes = 0;
        var running = new TaskCompletionSource();
        CoalescedRefresh? coalesced = null;
        coalesced = new CoalescedRefresh(work => Task.Run(work), async () =>
        {
            if (Interlocked.Increment(ref refreshes) == 1)
            {
                await running.Task;
            }
        }, Interval, clock);

        coalesced.Request();
        await WaitUntilAsync(() => Volatile.Read(ref refreshes) == 1);
        for (var i = 0; i < 50; i++)
        {
            coalesced.Request();
        }
        running.SetResult();
        await Task.Delay(50);
        var beforeTheInterval = Volatile.Read(ref refreshes);
        clock.Advance(Interval);
        await WaitUntilAsync(() => Volatile.Read(ref refreshes) == 2);
        await Task.Delay(50);

        Assert.Equal(1, beforeTheInterval);
        Assert.Equal(2, Volatile.Read(ref refreshes));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), "the refresh did not happen");
    }
}
