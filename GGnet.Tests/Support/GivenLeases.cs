using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>The leases a test gives dhcpd (none by default); with <see cref="KeptHere"/> false, a node where another runs dhcpd.</summary>
public sealed class GivenLeases : ILeaseSource
{
    public List<DhcpLease> Given { get; } = [];

    public bool KeptHere { get; set; } = true;

    public Task<IReadOnlyList<DhcpLease>?> ReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DhcpLease>?>(KeptHere ? [.. Given] : null);
}
