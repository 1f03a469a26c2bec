using Bunit;
using GGnet.Web.Components.Shared;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Components;

/// <summary>The HTML bar chart the dashboard and the storage gauge draw with: bars to scale, labels and legend as text.</summary>
public sealed class BarChartTests
{
    [Fact]
    public async Task Bars_AreToScale_OfARoundedTop_AndAnEmptyValueHasNoBar()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());

        var chart = context.Render<BarChart>(p => p
            .Add(c => c.Id, "chart")
            .Add(c => c.Description, "boot times")
            .Add(c => c.SeriesNames, ["median", "slowest"])
            .Add(c => c.Unit, " s")
            .Add(c => c.Columns, [new BarColumn("09:00", [30, 40], "09:00: 2 boots"), new BarColumn("", [null, null], "10:00: no boot")]));

        var bars = chart.FindAll(".ggnet-chart-bar");
        Assert.Equal(["height:60%", "height:80%", "height:0%", "height:0%"], bars.Select(b => b.GetAttribute("style")));
        Assert.Equal(["50 s", "25 s", "0 s"], chart.FindAll(".ggnet-chart-scale span").Select(s => s.TextContent));
        Assert.Equal(["09:00", ""], chart.FindAll(".ggnet-chart-labels span").Select(s => s.TextContent));
        Assert.Equal(["median", "slowest"], chart.FindAll(".ggnet-chart-legend span").Select(s => s.TextContent));
        Assert.Equal("10:00: no boot", chart.FindAll(".ggnet-chart-column")[1].GetAttribute("title"));
        Assert.Equal("boot times", chart.Find("#chart").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task AFixedMaximum_IsTheTop_AndValuesAboveItStopThere()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());

        var chart = context.Render<BarChart>(p => p
            .Add(c => c.Id, "chart")
            .Add(c => c.Description, "storage")
            .Add(c => c.SeriesNames, ["% used"])
            .Add(c => c.Unit, "%")
            .Add(c => c.Maximum, 100)
            .Add(c => c.Columns, [new BarColumn("", [42.5], ""), new BarColumn("", [130], "")]));

        Assert.Equal(["height:42.5%", "height:100%"], chart.FindAll(".ggnet-chart-bar").Select(b => b.GetAttribute("style")));
        Assert.Equal("100%", chart.Find(".ggnet-chart-scale span").TextContent);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.7, 1)]
    [InlineData(40, 50)]
    [InlineData(120, 200)]
    [InlineData(2.1, 2.5)]
    [InlineData(300, 500)]
    public void TheTop_IsTheNextRoundFigure(double largest, double top) =>
        Assert.Equal(top, BarScale.NiceTop(largest), 6);
}
