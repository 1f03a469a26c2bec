using GGnet.Core.Domain;

namespace GGnet.Core.Ports;

/// <summary>
/// Who this server sees at an address of a network it is attached to (its ARP cache). A customer who takes a switched-off
/// PC's address, but not its MAC address, shows there with his own card's; one who gives his PC many addresses shows
/// the same card at each.
/// </summary>
public interface INeighbourTable
{
    /// <summary>The MAC address the server last resolved the address to; null when it has none (a PC behind a router or a relay).</summary>
    Task<MacAddress?> FindAsync(Ipv4Address address, CancellationToken cancellationToken);

    /// <summary>Every address the server has resolved, with the card it resolved it to.</summary>
    Task<IReadOnlyDictionary<Ipv4Address, MacAddress>> ReadAllAsync(CancellationToken cancellationToken);
}
