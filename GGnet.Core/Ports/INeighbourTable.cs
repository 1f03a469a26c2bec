using GGnet.Core.Domain;

namespace GGnet.Core.Ports;

/// <summary>
/// Who this server sees at an address of a network it is attached to (its ARP cache). A customer who takes a switched-off
/// PC's address, but not its MAC address, shows there with his own card's.
/// </summary>
public interface INeighbourTable
{
    /// <summary>The MAC address the server last resolved the address to; null when it has none (a PC behind a router or a relay).</summary>
    Task<MacAddress?> FindAsync(Ipv4Address address, CancellationToken cancellationToken);
}
