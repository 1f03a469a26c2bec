namespace GGnet.Tests.Support;

/// <summary>Waits for what a background service, a daemon or another process does on its own.</summary>
public static class Eventually
{
    /// <summary>Looks every 50 ms until <paramref name="done"/> holds, for at most 5 s; the test's assertions then say what happened.</summary>
    public static async Task HoldsAsync(Func<bool> done)
    {
        for (var wait = 0; wait < 100 && !done(); wait++)
        {
            await Task.Delay(50);
        }
    }

    public static Task HoldsAsync(Func<bool> done, string because, TimeSpan? within = null) => HoldsAsync(() => Task.FromResult(done()), because, within);

    /// <summary>
    /// Looks every 200 ms until <paramref name="done"/> holds; fails with <paramref name="because"/> once
    /// <paramref name="within"/> (20 s) has passed.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> done, string because, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(because);
            }
            await Task.Delay(200);
        }
    }
}
