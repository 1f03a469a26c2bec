using GGnet.Core.Common;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Machines;

namespace GGnet.Core.Ports;

/// <summary>
/// Where machines live. Every change is saved together with the audit entries of what was done to the machine
/// (<see cref="Machine.TakeHappened"/>), or not at all; once committed, what was done goes to <see cref="AfterMachineCommit"/>.
/// </summary>
public interface IMachineRepository
{
    Task<Page<Machine>> ListAsync(MachineQuery query, CancellationToken cancellationToken);

    Task<MachineCounts> CountAsync(CancellationToken cancellationToken);

    Task<Machine?> FindAsync(int id, CancellationToken cancellationToken);

    /// <summary>The machines of these ids that exist, in one read.</summary>
    Task<IReadOnlyList<Machine>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken);

    /// <summary>The names of the machines this data image is attached to, by name.</summary>
    Task<IReadOnlyList<string>> NamesWithDataImageAsync(int imageId, CancellationToken cancellationToken);

    /// <summary>The lab's virtual PCs, oldest first.</summary>
    Task<IReadOnlyList<Machine>> ListVirtualAsync(CancellationToken cancellationToken);

    /// <summary>Other machines that already use this MAC, name or fixed address.</summary>
    Task<IReadOnlyList<Machine>> FindClashesAsync(MachineDetails details, int? exceptId, CancellationToken cancellationToken);

    /// <summary>Adds a machine made by <see cref="Machine.Create"/>.</summary>
    Task AddAsync(Machine machine, CancellationToken cancellationToken);

    /// <summary>Adds all of them, each audited, in one transaction: all or none.</summary>
    Task AddManyAsync(IReadOnlyList<Machine> machines, CancellationToken cancellationToken);

    Task UpdateAsync(Machine machine, CancellationToken cancellationToken);

    /// <summary>Saves these machines' (encrypted) CHAP secrets and nothing else of them, in one transaction: an edit saved meanwhile stays.</summary>
    Task SaveChapSecretsAsync(IReadOnlyList<Machine> machines, CancellationToken cancellationToken);

    /// <summary>Removes the machine (after <see cref="Machine.Delete"/>) with its ended sessions and boot history.</summary>
    Task DeleteAsync(Machine machine, CancellationToken cancellationToken);
}
