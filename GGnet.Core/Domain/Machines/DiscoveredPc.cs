namespace GGnet.Core.Domain.Machines;

/// <summary>A PC that asked for a boot script without being registered; an admin can approve it into a machine.</summary>
public sealed class DiscoveredPc
{
    private DiscoveredPc()
    {
        MacAddress = null!;
    }

    public DiscoveredPc(MacAddress macAddress, DateTime at)
    {
        MacAddress = macAddress;
        FirstSeen = at;
        LastSeen = at;
    }

    public int Id { get; private set; }

    public MacAddress MacAddress { get; private set; }

    public DateTime FirstSeen { get; private set; }

    public DateTime LastSeen { get; private set; }

    public Ipv4Address? LastIpAddress { get; private set; }

    /// <summary>As reported by iPXE (<c>${platform}</c>), when it did.</summary>
    public Firmware? Firmware { get; private set; }

    public int RequestCount { get; private set; }

    public void Seen(DateTime at, Ipv4Address? ipAddress, Firmware? firmware)
    {
        LastSeen = at;
        LastIpAddress = ipAddress ?? LastIpAddress;
        Firmware = firmware ?? Firmware;
        RequestCount++;
    }
}
