using GGnet.Web.Api;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Web.Boot;

/// <summary>The boot endpoints' limits per client (a card or an address) and for all clients, in windows of a minute, kept without a timer.</summary>
public sealed class BootRequestLimitsTests
{
    private const string Seat17 = "10.99.0.17";
    private const string Seat18 = "10.99.0.18";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void AClientOverItsLimit_IsRefused_UntilTheNextMinute_AndOthersAreNot()
    {
        var limits = new BootRequestLimits(perClient: 3, all: 100, _clock);

        var seat17 = Enumerable.Range(0, 5).Select(_ => limits.TryTake(Seat17)).ToList();
        var seat18 = limits.TryTake(Seat18);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var nextMinute = limits.TryTake(Seat17);

        Assert.Equal([true, true, true, false, false], seat17);
        Assert.True(seat18);
        Assert.True(nextMinute);
    }

    [Fact]
    public void AClientOverItsOwnLimit_DoesNotUseUpTheBudgetOfAll()
    {
        var limits = new BootRequestLimits(perClient: 2, all: 4, _clock);

        for (var i = 0; i < 50; i++)
        {
            limits.TryTake(Seat17);
        }
        var others = Enumerable.Range(1, 3).Select(i => limits.TryTake($"10.99.0.{100 + i}")).ToList();

        Assert.Equal([true, true], others.Take(2));
        Assert.False(others[2]);
    }

    [Fact]
    public void OnceTheBudgetOfAllIsSpent_MadeUpAddressesAreRefused_WithoutBeingRemembered()
    {
        var limits = new BootRequestLimits(perClient: 10, all: 5, _clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limits.TryTake($"10.99.0.{i + 1}"));
        }

        var madeUp = Enumerable.Range(0, 1000).Select(i => limits.TryTake($"10.98.{i / 256}.{i % 256}")).ToList();

        Assert.All(madeUp, Assert.False);
        Assert.Equal(5, limits.ClientsCounted);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, limits.ClientsCounted);
        Assert.True(limits.TryTake(Seat17));
    }
}
