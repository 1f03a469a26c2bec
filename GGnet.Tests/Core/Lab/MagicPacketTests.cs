using GGnet.Core.Domain;
using GGnet.Core.Lab;

namespace GGnet.Tests.Core.Lab;

public sealed class MagicPacketTests
{
    [Fact]
    public void For_IsSixFfBytesThenTheMacSixteenTimes_AndReadsBack()
    {
        var mac = MacAddress.Parse("52:54:00:ab:cd:ef");

        var packet = MagicPacket.For(mac);

        Assert.Equal(102, packet.Length);
        Assert.All(packet[..6], b => Assert.Equal(0xFF, b));
        Assert.Equal(new byte[] { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef }, packet[96..]);
        Assert.Equal(mac, MagicPacket.TryRead(packet));
    }

    [Fact]
    public void TryRead_AcceptsAPasswordAfterThePacket()
    {
        var packet = MagicPacket.For(MacAddress.Parse("52:54:00:00:00:01")).Concat(new byte[] { 1, 2, 3, 4, 5, 6 }).ToArray();

        Assert.Equal(MacAddress.Parse("52:54:00:00:00:01"), MagicPacket.TryRead(packet));
    }

    [Theory]
    [InlineData(0, 0x00)]
    [InlineData(50, 0x99)]
    [InlineData(101, 0x00)]
    public void TryRead_RefusesAnythingElse(int position, byte value)
    {
        var packet = MagicPacket.For(MacAddress.Parse("52:54:00:00:00:01"));
        packet[position] = value;

        Assert.Null(MagicPacket.TryRead(packet));
        Assert.Null(MagicPacket.TryRead(packet.AsSpan(0, 101)));
    }
}
