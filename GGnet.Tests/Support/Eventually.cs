namespace GGnet.Tests.Support;

/// <summary>Waits for what a background service does on a thread of its own.</summary>
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
}
