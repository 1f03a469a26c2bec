using GGnet.Core.Domain;

namespace GGnet.Core.Ports;

/// <summary>The DHCP server's current leases (ISC dhcpd's leases file).</summary>
public interface ILeaseSource
{
    Task<IReadOnlyList<DhcpLease>> ReadAsync(CancellationToken cancellationToken);
}

public sealed record DhcpLease(MacAddress MacAddress, Ipv4Address Address, DateTime Starts);
