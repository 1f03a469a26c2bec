using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

public sealed class ListDiscoveredPcs(IBootRepository boot)
{
    public Task<IReadOnlyList<DiscoveredPc>> ExecuteAsync(CancellationToken cancellationToken) => boot.ListDiscoveredAsync(cancellationToken);
}
