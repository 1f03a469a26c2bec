namespace GGnet.Core.Ports;

/// <summary>The DHCP server's current leases (ISC dhcpd's leases file).</summary>
public interface ILeaseSource
{
    /// <summary>The leases, the latest of each address; null when this server keeps none (another node runs dhcpd).</summary>
    Task<IReadOnlyList<DhcpLease>?> ReadAsync(CancellationToken cancellationToken);
}
