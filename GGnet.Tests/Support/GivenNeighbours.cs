using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>A server that has resolved no address (its PCs behind a router), or, given some, those cards at those addresses.</summary>
public sealed class GivenNeighbours(IReadOnlyDictionary<Ipv4Address, MacAddress>? cards = null) : INeighbourTable
{
    public Task<MacAddress?> FindAsync(Ipv4Address address, CancellationToken cancellationToken) =>
        Task.FromResult(cards is not null && cards.TryGetValue(address, out var card) ? card : null);
}
