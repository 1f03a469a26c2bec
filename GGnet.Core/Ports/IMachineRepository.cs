using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Machines;

namespace GGnet.Core.Ports;

/// <summary>Where machines live. Every change is saved together with its audit event, or not at all.</summary>
public interface IMachineRepository
{
    Task<Page<Machine>> ListAsync(MachineQuery query, CancellationToken cancellationToken);

    Task<MachineCounts> CountAsync(CancellationToken cancellationToken);

    Task<Machine?> FindAsync(int id, CancellationToken cancellationToken);

    /// <summary>The lab's virtual PCs, oldest first.</summary>
    Task<IReadOnlyList<Machine>> ListVirtualAsync(CancellationToken cancellationToken);

    /// <summary>Other machines that already use this MAC, name or fixed address.</summary>
    Task<IReadOnlyList<Machine>> FindClashesAsync(MachineDetails details, int? exceptId, CancellationToken cancellationToken);

    Task AddAsync(Machine machine, Func<Machine, AuditEvent> audit, CancellationToken cancellationToken);

    /// <summary>Adds all of them, each audited, in one transaction: all or none.</summary>
    Task AddManyAsync(IReadOnlyList<Machine> machines, Func<Machine, AuditEvent> audit, CancellationToken cancellationToken);

    Task UpdateAsync(Machine machine, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Saves the machine's (encrypted) CHAP secrets and nothing else of it: an edit saved meanwhile stays.</summary>
    Task SaveChapSecretsAsync(Machine machine, CancellationToken cancellationToken);

    /// <summary>Removes the machine with its ended sessions and boot history.</summary>
    Task DeleteAsync(Machine machine, AuditEvent audit, CancellationToken cancellationToken);
}
