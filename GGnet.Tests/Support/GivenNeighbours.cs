using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>A server that has resolved no address (its PCs behind a router), or, given some, those cards at those addresses.</summary>
public sealed class GivenNeighbours(IReadOnlyDictionary<Ipv4Address, MacAddress>? cards = null) : INeighbourTable
{
    private int _reads;

    /// <summary>How many times the whole table was read.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public Task<MacAddress?> FindAsync(Ipv4Address address, CancellationToken cancellationToken) =>
        Task.FromResult(cards is not null && cards.TryGetValue(address, out var card) ? card : null);

    public Task<IReadOnlyDictionary<Ipv4Address, MacAddress>> ReadAllAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(cards ?? new Dictionary<Ipv4Address, MacAddress>());
    }
}
