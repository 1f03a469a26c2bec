using GGnet.Core.Common;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class ListMachines(IMachineRepository machines)
{
    public Task<Page<Machine>> ExecuteAsync(MachineQuery query, CancellationToken cancellationToken) =>
        machines.ListAsync(query with { Search = query.Search?.Trim() }, cancellationToken);
}
