namespace GGnet.Web.Components.Shared;

/// <summary>
/// Refreshes a screen at most once per interval however many changes arrive (a boot storm, conversion progress):
/// the first request schedules one refresh on the component's dispatcher, the ones before it runs join it.
/// </summary>
public sealed class CoalescedRefresh(Func<Func<Task>, Task> invokeAsync, Func<Task> refresh, TimeSpan interval)
{
    private int _pending;

    /// <summary>Thread-safe; call it from any event handler.</summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _ = invokeAsync(async () =>
            {
                await Task.Delay(interval);
                Interlocked.Exchange(ref _pending, 0);
                await refresh();
            });
        }
    }
}
