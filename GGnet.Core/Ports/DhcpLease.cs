using GGnet.Core.Domain;

namespace GGnet.Core.Ports;

/// <summary>
/// One lease as dhcpd last wrote it: when it started and ends (null: never), and whether it is still bound (dhcpd keeps an
/// expired or released lease in its file, as free).
/// </summary>
public sealed record DhcpLease(MacAddress MacAddress, Ipv4Address Address, DateTime Starts, DateTime? Ends, bool Bound)
{
    /// <summary>Whether the PC still holds the address at that time.</summary>
    public bool HoldsAt(DateTime time) => Bound && (Ends is null || Ends > time);
}
