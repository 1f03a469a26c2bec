using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class CountMachines(IMachineRepository machines)
{
    public Task<MachineCounts> ExecuteAsync(CancellationToken cancellationToken) => machines.CountAsync(cancellationToken);
}
