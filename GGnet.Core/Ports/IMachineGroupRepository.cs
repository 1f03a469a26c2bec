using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Ports;

public interface IMachineGroupRepository
{
    Task<IReadOnlyList<MachineGroup>> ListAsync(CancellationToken cancellationToken);

    Task<MachineGroup?> FindAsync(int id, CancellationToken cancellationToken);

    Task<MachineGroup?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task AddAsync(MachineGroup group, Func<MachineGroup, AuditEvent> audit, CancellationToken cancellationToken);

    Task SaveAsync(MachineGroup group, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Deletes the group; its machines stay, without a group.</summary>
    Task DeleteAsync(MachineGroup group, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>How many machines each group has (groups without machines are absent).</summary>
    Task<IReadOnlyDictionary<int, int>> CountMachinesAsync(CancellationToken cancellationToken);
}
