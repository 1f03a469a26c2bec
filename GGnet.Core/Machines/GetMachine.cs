using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class GetMachine(IMachineRepository machines)
{
    public async Task<Machine> ExecuteAsync(int id, CancellationToken cancellationToken) =>
        await machines.FindAsync(id, cancellationToken)
        ?? throw new NotFoundException($"There is no machine with id {id}; it may have been deleted.");
}
