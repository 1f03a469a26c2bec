using System.Globalization;
using GGnet.Core.Domain;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// A customer who gives his PC many addresses shows one card at all of them in the server's ARP cache: he gets one
/// client's share of the boot requests and can't spend the budget of all, so the PC beside him still gets its script.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class OneCardBootLimitTests(OneCardBootLimitTests.App app) : IClassFixture<OneCardBootLimitTests.App>
{
    [Fact]
    public async Task ACustomerWithThirtyAddressesOnOneCard_GetsOneClientsShare_AndThePcBesideHimStillGetsItsScript()
    {
        // The limits count by the wall clock's minute: all the requests fall in one.
        await WallClock.WaitForSecondsOfTheMinuteAsync(0, 50);

        var seat17 = new List<int>();
        foreach (var address in App.Seat17Addresses)
        {
            seat17.Add(await StatusFromAsync(address));
        }
        var seat18 = await StatusFromAsync(App.Seat18Address);
        // An address the server has not resolved counts by itself.
        var unresolved = new List<int>();
        for (var i = 0; i <= App.PerClient; i++)
        {
            unresolved.Add(await StatusFromAsync("10.99.0.200"));
        }

        Assert.All(seat17.Take(App.PerClient), s => Assert.Equal(200, s));
        Assert.All(seat17.Skip(App.PerClient), s => Assert.Equal(429, s));
        Assert.Equal(200, seat18);
        Assert.All(unresolved.Take(App.PerClient), s => Assert.Equal(200, s));
        Assert.Equal(429, unresolved[^1]);
    }

    private Task<int> StatusFromAsync(string address) => BootRequestFrom.StatusAsync(app.Server, address);

    public sealed class App : BootAppFactory
    {
        public const int PerClient = 5;
        public const int All = 20;
        public const string Seat18Address = "10.99.0.18";

        // More addresses than the budget of all: each on its own, they would spend it.
        public static readonly string[] Seat17Addresses = Enumerable.Range(101, 30).Select(i => $"10.99.0.{i}").ToArray();

        protected override int RequestsPerMinute => PerClient;

        protected override IEnumerable<(string Key, string Value)> Settings() =>
            base.Settings().Append(("Boot:RequestsPerMinute", All.ToString(CultureInfo.InvariantCulture)));

        protected override void ReplaceServices(IServiceCollection services)
        {
            base.ReplaceServices(services);
            var cards = Seat17Addresses.ToDictionary(Ipv4Address.Parse, _ => MacAddress.Parse("52:54:00:00:00:17"));
            cards[Ipv4Address.Parse(Seat18Address)] = MacAddress.Parse("52:54:00:00:00:18");
            services.AddSingleton<INeighbourTable>(new GivenNeighbours(cards));
        }
    }
}
