using GGnet.Core.Common;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>The PCs that asked to boot but are not registered, a page at a time (anyone on the LAN can add some).</summary>
public sealed class ListDiscoveredPcs(IBootRepository boot)
{
    public Task<Page<DiscoveredPc>> ExecuteAsync(PageRequest page, CancellationToken cancellationToken) => boot.ListDiscoveredAsync(page, cancellationToken);
}
