namespace GGnet.Tests.Support;

public static class WallClock
{
    /// <summary>
    /// Waits, if needed, until the UTC wall clock's second of the minute is in [from, until): for a test whose few
    /// seconds must not straddle what GGnet does by the minute (its minutely jobs, its per-minute request windows).
    /// </summary>
    public static async Task WaitForSecondsOfTheMinuteAsync(int from, int until)
    {
        var now = DateTime.UtcNow;
        if (now.Second >= from && now.Second < until)
        {
            return;
        }
        var next = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, from, DateTimeKind.Utc);
        await Task.Delay((next > now ? next : next.AddMinutes(1)) - now);
    }
}
