using System.Net;
using GGnet.Core.Domain;
using GGnet.Tests.Support;
using GGnet.Web.Api;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Web.Boot;

/// <summary>Who a boot request counts as: its card where the server's ARP cache shows one on the boot network, read again only when it must be.</summary>
public sealed class BootClientCardsTests
{
    private static readonly MacAddress Router = MacAddress.Parse("52:54:00:00:00:fe");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-08T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private readonly GivenNeighbours _neighbours = new(new Dictionary<Ipv4Address, MacAddress>
    {
        [Ipv4Address.Parse("10.99.0.17")] = MacAddress.Parse("52:54:00:00:00:17"),
        [Ipv4Address.Parse("10.99.0.117")] = MacAddress.Parse("52:54:00:00:00:17"),
        [Ipv4Address.Parse("10.99.0.18")] = MacAddress.Parse("52:54:00:00:00:18"),
        // The gateway, and an address it answers for (proxy ARP).
        [Ipv4Address.Parse("10.99.0.254")] = Router,
        [Ipv4Address.Parse("10.99.0.140")] = Router,
        // Resolved, but outside the boot network.
        [Ipv4Address.Parse("192.168.1.5")] = MacAddress.Parse("52:54:00:00:01:05"),
    });

    [Fact]
    public async Task TwoAddressesOfOneCard_AreOneClient_TheRoutersCardAndOtherNetworksAreNot_AndIpv6AndLoopbackAreNotLookedUp()
    {
        var cards = new BootClientCards(_neighbours, new SampleBootNetwork(), _clock);

        var seat17 = await cards.KeyOfAsync(IPAddress.Parse("10.99.0.17"));
        var seat17Again = await cards.KeyOfAsync(IPAddress.Parse("10.99.0.117").MapToIPv6());
        var seat18 = await cards.KeyOfAsync(IPAddress.Parse("10.99.0.18"));
        var behindTheRouter = await cards.KeyOfAsync(IPAddress.Parse("10.99.0.140"));
        // A lookup now would read the table again: none may happen for these.
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        var readsBefore = _neighbours.Reads;
        var otherNetwork = await cards.KeyOfAsync(IPAddress.Parse("192.168.1.5"));
        var loopback = await cards.KeyOfAsync(IPAddress.Parse("127.0.0.2"));
        var ipv6 = await cards.KeyOfAsync(IPAddress.Parse("fd00::17"));

        Assert.Equal("card 52:54:00:00:00:17", seat17);
        Assert.Equal(seat17, seat17Again);
        Assert.Equal("card 52:54:00:00:00:18", seat18);
        Assert.Equal("10.99.0.140", behindTheRouter);
        Assert.Equal("192.168.1.5", otherNetwork);
        Assert.Equal(BootClientCards.Loopback, loopback);
        Assert.Equal("fd00::17", ipv6);
        Assert.Equal(readsBefore, _neighbours.Reads);
    }

    [Fact]
    public async Task TheTable_IsReadOnceForKnownAddresses_AgainForAMissingOneAfter100Ms_AndForAllAfter10s()
    {
        var cards = new BootClientCards(_neighbours, new SampleBootNetwork(), _clock);

        for (var i = 0; i < 50; i++)
        {
            await cards.KeyOfAsync(IPAddress.Parse("10.99.0.17"));
        }
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        await cards.KeyOfAsync(IPAddress.Parse("10.99.0.17"));
        var afterKnown = _neighbours.Reads;
        var unresolved = await cards.KeyOfAsync(IPAddress.Parse("10.99.0.120"));
        await cards.KeyOfAsync(IPAddress.Parse("10.99.0.120"));
        var afterMisses = _neighbours.Reads;
        _clock.Advance(TimeSpan.FromSeconds(11));
        await cards.KeyOfAsync(IPAddress.Parse("10.99.0.17"));

        Assert.Equal(1, afterKnown);
        Assert.Equal("10.99.0.120", unresolved);
        Assert.Equal(2, afterMisses);
        Assert.Equal(3, _neighbours.Reads);
    }
}
