namespace GGnet.Core.Sessions;

/// <summary>One measured boot: from the PC's first DHCP lease (or script request) after its session was ready, to Online.</summary>
public sealed record BootDuration(int MachineId, DateTime StartedAt, DateTime OnlineAt)
{
    public double Seconds => (OnlineAt - StartedAt).TotalSeconds;
}

/// <summary>The boots that went online within one hour.</summary>
public sealed record BootHour(DateTime Hour, int Boots, double? MedianSeconds, double? LongestSeconds);

/// <summary>Boot durations over the last hours, an entry per hour (empty hours too, so a chart shows the gaps).</summary>
public sealed record BootDurationChart(IReadOnlyList<BootHour> Hours, int Boots, double? MedianSeconds, double? LongestSeconds)
{
    public static BootDurationChart Of(IReadOnlyList<BootDuration> boots, DateTime now, int hours)
    {
        var first = Truncate(now).AddHours(1 - hours);
        var byHour = boots.Where(b => b.OnlineAt >= first).ToLookup(b => Truncate(b.OnlineAt));
        var entries = Enumerable.Range(0, hours).Select(i => first.AddHours(i)).Select(hour =>
        {
            var seconds = byHour[hour].Select(b => b.Seconds).Order().ToList();
            return new BootHour(hour, seconds.Count, Median(seconds), seconds.Count == 0 ? null : seconds[^1]);
        }).ToList();
        var all = boots.Where(b => b.OnlineAt >= first).Select(b => b.Seconds).Order().ToList();
        return new BootDurationChart(entries, all.Count, Median(all), all.Count == 0 ? null : all[^1]);
    }

    private static DateTime Truncate(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, at.Kind);

    private static double? Median(List<double> sorted) => sorted.Count switch
    {
        0 => null,
        var n when n % 2 == 1 => sorted[n / 2],
        var n => (sorted[(n / 2) - 1] + sorted[n / 2]) / 2,
    };
}
