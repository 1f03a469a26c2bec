using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Domain;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Infrastructure.Boot;

/// <summary>
/// The server's ARP cache as the kernel writes it: a "server" and a "customer's PC" in network namespaces of the test's own
/// (10.98.1.0/24 exists only there), joined by a cable (veth). The customer took seat 5's address with his own card.
/// </summary>
public sealed class KernelNeighbourTableTests : IAsyncLifetime
{
    private static readonly MacAddress Seat17Card = MacAddress.Parse("52:54:00:00:00:17");
    private readonly string _server = $"ggnet-arp-s-{Guid.NewGuid():N}"[..20];
    private readonly string _pc = $"ggnet-arp-p-{Guid.NewGuid():N}"[..20];

    public async Task InitializeAsync()
    {
        await Ip("netns", "add", _server);
        await Ip("netns", "add", _pc);
        await Ip("-n", _server, "link", "add", "arp0", "type", "veth", "peer", "name", "arp1", "netns", _pc);
        await Ip("-n", _server, "addr", "add", "10.98.1.1/24", "dev", "arp0");
        await Ip("-n", _pc, "link", "set", "arp1", "address", Seat17Card.Value);
        await Ip("-n", _pc, "addr", "add", "10.98.1.105/24", "dev", "arp1");
        foreach (var (space, link) in new[] { (_server, "arp0"), (_pc, "arp1"), (_server, "lo"), (_pc, "lo") })
        {
            await Ip("-n", space, "link", "set", link, "up");
        }
    }

    [Fact]
    public async Task ACardThatTookAnAddress_ShowsWithItsOwnMac_AnUnansweredAddressWithNone()
    {
        var pc = new NetworkNamespace(_pc, new ExternalCommand(NullLogger<ExternalCommand>.Instance));
        var server = new NetworkNamespace(_server, new ExternalCommand(NullLogger<ExternalCommand>.Instance));

        // The PC talks to the server (it asks who has 10.98.1.1), and the server to an address nobody answers for.
        SendFrom(pc, "10.98.1.1");
        SendFrom(server, "10.98.1.150");
        var table = "";
        await Eventually.HoldsAsync(async () => (table = await ArpTableOfTheServerAsync()).Contains("10.98.1.105 ", StringComparison.Ordinal),
            "the server's ARP cache to hold the PC's address");

        Assert.Equal(Seat17Card, KernelNeighbourTable.Find(table, Ipv4Address.Parse("10.98.1.105")));
        Assert.Null(KernelNeighbourTable.Find(table, Ipv4Address.Parse("10.98.1.150")));
        Assert.Null(KernelNeighbourTable.Find(table, Ipv4Address.Parse("10.98.1.77")));
    }

    [Fact]
    public void AnEntryThatFailedAfterItWasResolved_KeepsItsOldMac_AndCountsForNone()
    {
        var table = """
            IP address       HW type     Flags       HW address            Mask     Device
            10.98.1.105      0x1         0x0         52:54:00:00:00:05     *        arp0
            10.98.1.106      0x1         0x2         52:54:00:00:00:06     *        arp0

            """;

        Assert.Null(KernelNeighbourTable.Find(table, Ipv4Address.Parse("10.98.1.105")));
        Assert.Equal(MacAddress.Parse("52:54:00:00:00:06"), KernelNeighbourTable.Find(table, Ipv4Address.Parse("10.98.1.106")));
    }

    public async Task DisposeAsync()
    {
        foreach (var space in new[] { _server, _pc })
        {
            await Cli.Wrap("ip").WithArguments(["netns", "del", space]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        }
    }

    private static void SendFrom(NetworkNamespace space, string to)
    {
        using var socket = space.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp, _ => { });
        socket.SendTo(new byte[] { 1 }, new IPEndPoint(IPAddress.Parse(to), 9));
    }

    private async Task<string> ArpTableOfTheServerAsync() =>
        (await Cli.Wrap("ip").WithArguments(["netns", "exec", _server, "cat", KernelNeighbourTable.ProcPath]).ExecuteBufferedAsync()).StandardOutput;

    private static Task Ip(params string[] arguments) => Cli.Wrap("ip").WithArguments(arguments).ExecuteAsync();
}
