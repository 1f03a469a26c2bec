using GGnet.Core.Domain;

namespace GGnet.Core.Boot;

/// <summary>The boot network, validated as a whole: every address where it belongs.</summary>
public sealed record NetworkSettings(
    Ipv4Address ServerAddress,
    string Interface,
    Ipv4Address Subnet,
    Ipv4Address Netmask,
    Ipv4Address? Gateway,
    IReadOnlyList<Ipv4Address> DnsServers,
    Ipv4Address RangeStart,
    Ipv4Address RangeEnd,
    Uri BootBaseUrl,
    DhcpMode DhcpMode,
    int WaitPollSeconds)
{
    public bool InSubnet(Ipv4Address address) => (address.Number & Netmask.Number) == Subnet.Number;

    public bool InDynamicRange(Ipv4Address address) => address.Number >= RangeStart.Number && address.Number <= RangeEnd.Number;

    public Ipv4Address Broadcast => Ipv4Address.FromNumber(Subnet.Number | ~Netmask.Number);

    /// <summary>Base URL of the boot endpoints without a trailing slash, e.g. <c>http://10.99.0.1:5000/boot</c>.</summary>
    public string BootUrl => BootBaseUrl.AbsoluteUri.TrimEnd('/') + "/boot";

    /// <summary>
    /// Why a fixed address can't be given to a machine on this network, or null when it can.
    /// Fixed addresses must lie in the subnet and outside the dynamic range that unknown PCs draw from.
    /// </summary>
    public string? CheckFixedAddress(Ipv4Address address)
    {
        if (!InSubnet(address))
        {
            return $"{address} is outside the boot network {Subnet}/{Netmask}; choose an address inside it.";
        }
        if (InDynamicRange(address))
        {
            return $"{address} lies in the dynamic range {RangeStart}–{RangeEnd} that unknown PCs draw from; choose an address outside it.";
        }
        if (address == ServerAddress || address == Gateway || address == Subnet || address == Broadcast)
        {
            return $"{address} is already used by the network itself (server, gateway, network or broadcast address).";
        }
        return null;
    }
}
