using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>
/// A fake machine store for component tests: a list, with the same search and paging meaning as the real one. What was
/// done to a machine is audited with its save and handed to <see cref="AfterCommit"/>'s handler, when there is one.
/// </summary>
public sealed class InMemoryMachineRepository : IMachineRepository
{
    private readonly List<Machine> _machines = [];

    public List<AuditEvent> Audit { get; } = [];

    /// <summary>What follows a save, found when the first save is made (a test's services are complete by then).</summary>
    public Func<AfterMachineCommit?> AfterCommit { get; set; } = () => null;

    public Task<Page<Machine>> ListAsync(MachineQuery query, CancellationToken cancellationToken)
    {
        var matching = _machines
            .Where(m => string.IsNullOrEmpty(query.Search) || m.Name.Value.Contains(query.Search, StringComparison.OrdinalIgnoreCase) || m.MacAddress.Value.Contains(query.Search, StringComparison.OrdinalIgnoreCase))
            .Where(m => query.GroupId is null || m.GroupId == query.GroupId)
            .Where(m => query.Stages is not { Count: > 0 } || query.Stages.Contains(m.BootStage))
            .OrderBy(m => m.Name.Value, StringComparer.Ordinal)
            .ToList();
        var items = matching.Skip(query.Page.Skip).Take(query.Page.SafePageSize).ToList();
        return Task.FromResult(new Page<Machine>(items, matching.Count, query.Page.SafePageNumber, query.Page.SafePageSize));
    }

    public Task<MachineCounts> CountAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new MachineCounts(_machines.Count, _machines.Count(m => m.Enabled),
            _machines.GroupBy(m => m.BootStage).ToDictionary(g => g.Key, g => g.Count())));

    public Task<Machine?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult(_machines.FirstOrDefault(m => m.Id == id));

    /// <summary>How many times machines were read by their ids (<see cref="FindManyAsync"/>).</summary>
    public int ManyReads { get; private set; }

    public Task<IReadOnlyList<Machine>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        ManyReads++;
        return Task.FromResult<IReadOnlyList<Machine>>([.. _machines.Where(m => ids.Contains(m.Id))]);
    }

    public Task<IReadOnlyList<string>> NamesWithDataImageAsync(int imageId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_machines.Where(m => m.DataImageIds.Contains(imageId)).Select(m => m.Name.Value).Order(StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<Machine>> ListVirtualAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Machine>>(_machines.Where(m => m.IsVirtual).OrderBy(m => m.Id).ToList());

    public Task<IReadOnlyList<Machine>> FindClashesAsync(MachineDetails details, int? exceptId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Machine>>(_machines
            .Where(m => m.Id != exceptId && (m.MacAddress == details.MacAddress || m.Name == details.Name || (details.IpAddress is not null && m.IpAddress == details.IpAddress)))
            .ToList());

    public Task AddAsync(Machine machine, CancellationToken cancellationToken) => AddManyAsync([machine], cancellationToken);

    // One commit for all of them, as the real store makes.
    public Task AddManyAsync(IReadOnlyList<Machine> machines, CancellationToken cancellationToken)
    {
        foreach (var machine in machines)
        {
            typeof(Machine).GetProperty(nameof(Machine.Id))!.SetValue(machine, _machines.Count + 1);
            _machines.Add(machine);
        }
        return CommitAsync(machines);
    }

    public Task UpdateAsync(Machine machine, CancellationToken cancellationToken)
    {
        _machines[_machines.FindIndex(m => m.Id == machine.Id)] = machine;
        return CommitAsync([machine]);
    }

    public Task SaveChapSecretsAsync(IReadOnlyList<Machine> machines, CancellationToken cancellationToken)
    {
        foreach (var machine in machines)
        {
            _machines.Find(m => m.Id == machine.Id)?.StoreChapSecrets(machine.ProtectedChapSecret!, machine.ProtectedMutualChapSecret!);
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(Machine machine, CancellationToken cancellationToken)
    {
        _machines.RemoveAll(m => m.Id == machine.Id);
        return CommitAsync([machine]);
    }

    private async Task CommitAsync(IReadOnlyList<Machine> machines)
    {
        var happened = machines.SelectMany(m => m.TakeHappened()).ToList();
        Audit.AddRange(happened.Select(e => e.Audit));
        if (happened.Count > 0 && AfterCommit() is { } afterCommit)
        {
            await afterCommit.HandleAsync(happened, CancellationToken.None);
        }
    }
}

public sealed class InMemoryMachineGroupRepository(IMachineRepository machines) : IMachineGroupRepository
{
    private readonly List<MachineGroup> _groups = [];

    public List<AuditEvent> Audit { get; } = [];

    public Task<IReadOnlyList<MachineGroup>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<MachineGroup>>(_groups.ToList());

    public Task<MachineGroup?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult(_groups.FirstOrDefault(g => g.Id == id));

    public Task<MachineGroup?> FindByNameAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_groups.FirstOrDefault(g => g.Name == name));

    public Task AddAsync(MachineGroup group, Func<MachineGroup, AuditEvent> audit, CancellationToken cancellationToken)
    {
        typeof(MachineGroup).GetProperty(nameof(MachineGroup.Id))!.SetValue(group, _groups.Count + 1);
        _groups.Add(group);
        return Task.CompletedTask;
    }

    public Task SaveAsync(MachineGroup group, AuditEvent audit, CancellationToken cancellationToken)
    {
        Audit.Add(audit);
        return Task.CompletedTask;
    }

    public async Task DeleteAsync(MachineGroup group, AuditEvent audit, CancellationToken cancellationToken)
    {
        foreach (var machine in await MembersAsync(group.Id, cancellationToken))
        {
            typeof(Machine).GetProperty(nameof(Machine.GroupId))!.SetValue(machine, null);
        }
        _groups.RemoveAll(g => g.Id == group.Id);
        Audit.Add(audit);
    }

    public async Task<IReadOnlyDictionary<int, int>> CountMachinesAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<int, int>();
        foreach (var group in _groups)
        {
            if ((await MembersAsync(group.Id, cancellationToken)).Count is > 0 and var count)
            {
                counts[group.Id] = count;
            }
        }
        return counts;
    }

    private async Task<IReadOnlyList<Machine>> MembersAsync(int groupId, CancellationToken cancellationToken) =>
        (await machines.ListAsync(new MachineQuery(new PageRequest(1, 10_000), GroupId: groupId), cancellationToken)).Items;
}
