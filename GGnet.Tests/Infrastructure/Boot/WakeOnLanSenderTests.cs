using System.Net;
using System.Net.Sockets;
using CliWrap;
using GGnet.Core.Domain;
using GGnet.Core.Lab;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Infrastructure.Boot;

/// <summary>The magic packet as it arrives: a socket inside a network namespace of the test's own (10.98.0.0/24 exists only there).</summary>
public sealed class WakeOnLanSenderTests : IAsyncLifetime
{
    private readonly string _name = $"ggnet-wol-{Guid.NewGuid():N}"[..20];
    private NetworkNamespace _namespace = null!;

    public async Task InitializeAsync()
    {
        await Ip("netns", "add", _name);
        await Ip("-n", _name, "link", "set", "lo", "up");
        await Ip("-n", _name, "link", "add", "wol0", "type", "veth", "peer", "name", "wol1");
        await Ip("-n", _name, "addr", "add", "10.98.0.1/24", "dev", "wol0");
        await Ip("-n", _name, "link", "set", "wol0", "up");
        await Ip("-n", _name, "link", "set", "wol1", "up");
        _namespace = new NetworkNamespace(_name, new ExternalCommand(NullLogger<ExternalCommand>.Instance));
    }

    [Fact]
    public async Task MagicPacket_ToTheBroadcastAddress_ArrivesAsSixFfsAndTheMacSixteenTimes()
    {
        var mac = MacAddress.Parse("00:11:22:aa:bb:cc");
        using var receiver = _namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp, s =>
        {
            s.EnableBroadcast = true;
            s.Bind(new IPEndPoint(IPAddress.Any, WakeOnLanSender.Port));
        });
        var buffer = new byte[512];
        var receiving = receiver.ReceiveAsync(buffer, SocketFlags.None);

        await WakeOnLanSender.SendAsync(mac, new IPEndPoint(IPAddress.Parse("10.98.0.255"), WakeOnLanSender.Port), _namespace, "wol0", CancellationToken.None);
        var length = await receiving.WaitAsync(TimeSpan.FromSeconds(10));
        var packet = buffer[..length];

        Assert.Equal(102, length);
        Assert.All(packet[..6], b => Assert.Equal(0xFF, b));
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(new byte[] { 0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc }, packet[(6 + (i * 6))..(12 + (i * 6))]);
        }
        Assert.Equal(mac, MagicPacket.TryRead(packet));
    }

    public async Task DisposeAsync() => await Cli.Wrap("ip").WithArguments(["netns", "del", _name]).WithValidation(CommandResultValidation.None).ExecuteAsync();

    private static Task Ip(params string[] arguments) => Cli.Wrap("ip").WithArguments(arguments).ExecuteAsync();
}
