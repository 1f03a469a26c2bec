using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>A DHCP server that has given no lease yet.</summary>
public sealed class NoLeases : ILeaseSource
{
    public Task<IReadOnlyList<DhcpLease>?> ReadAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DhcpLease>?>([]);
}
