using System.Globalization;
using GGnet.Core.Domain;

namespace GGnet.Core.Lab;

/// <summary>Wake-on-LAN's magic packet: six 0xFF bytes, then the target MAC address sixteen times.</summary>
public static class MagicPacket
{
    public const int Length = 102;

    public static byte[] For(MacAddress macAddress)
    {
        var mac = MacBytes(macAddress);
        var packet = new byte[Length];
        packet.AsSpan(0, 6).Fill(0xFF);
        for (var i = 0; i < 16; i++)
        {
            mac.CopyTo(packet, 6 + i * 6);
        }
        return packet;
    }

    /// <summary>The MAC a magic packet wakes, or null when the bytes are not one (a packet may carry a password after it).</summary>
    public static MacAddress? TryRead(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < Length || packet[..6].ContainsAnyExcept((byte)0xFF))
        {
            return null;
        }
        var mac = packet.Slice(6, 6);
        for (var i = 1; i < 16; i++)
        {
            if (!packet.Slice(6 + i * 6, 6).SequenceEqual(mac))
            {
                return null;
            }
        }
        return MacAddress.TryParse(Convert.ToHexString(mac), out var parsed, out _) ? parsed : null;
    }

    private static byte[] MacBytes(MacAddress macAddress) =>
        macAddress.Value.Split(':').Select(part => byte.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
}
