using GGnet.Core.Sessions;

namespace GGnet.Tests.Core.Sessions;

public sealed class BootDurationChartTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 14, 25, 0, DateTimeKind.Utc);

    private static BootDuration Boot(int machine, DateTime online, double seconds) => new(machine, online.AddSeconds(-seconds), online);

    [Fact]
    public void Of_PutsEachBootInTheHourItWentOnline_WithMedianAndSlowest_AndKeepsEmptyHours()
    {
        var boots = new[]
        {
            Boot(1, Now.AddMinutes(-5), 30), Boot(2, Now.AddMinutes(-10), 50), Boot(3, Now.AddMinutes(-20), 40),
            Boot(4, new DateTime(2026, 11, 27, 12, 10, 0, DateTimeKind.Utc), 90),
            Boot(5, Now.AddHours(-20), 10),
        };

        var chart = BootDurationChart.Of(boots, Now, hours: 4);

        Assert.Equal([11, 12, 13, 14], chart.Hours.Select(h => h.Hour.Hour));
        Assert.Equal([0, 1, 0, 3], chart.Hours.Select(h => h.Boots));
        Assert.Equal(40, chart.Hours[3].MedianSeconds);
        Assert.Equal(50, chart.Hours[3].LongestSeconds);
        Assert.Null(chart.Hours[0].MedianSeconds);
        Assert.Equal(4, chart.Boots);
        Assert.Equal(45, chart.MedianSeconds);
        Assert.Equal(90, chart.LongestSeconds);
    }

    [Fact]
    public void Of_NoBoots_HasEveryHourEmpty_AndNoMedian()
    {
        var chart = BootDurationChart.Of([], Now, hours: 12);

        Assert.Equal(12, chart.Hours.Count);
        Assert.All(chart.Hours, h => Assert.Equal(0, h.Boots));
        Assert.Equal(0, chart.Boots);
        Assert.Null(chart.MedianSeconds);
    }
}
