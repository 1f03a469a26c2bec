using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Ports;

public interface IMachineGroupRepository
{
    Task<IReadOnlyList<MachineGroup>> ListAsync(CancellationToken cancellationToken);

    Task<MachineGroup?> FindAsync(int id, CancellationToken cancellationToken);

    Task<MachineGroup?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task AddAsync(MachineGroup group, Func<MachineGroup, AuditEvent> audit, CancellationToken cancellationToken);
}
