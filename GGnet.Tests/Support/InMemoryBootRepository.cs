using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>A fake boot store for component tests: a Discovered list and the machines of an <see cref="InMemoryMachineRepository"/>.</summary>
public sealed class InMemoryBootRepository(InMemoryMachineRepository machines) : IBootRepository
{
    private readonly List<DiscoveredPc> _discovered = [];

    /// <summary>The active target of each machine that has one.</summary>
    public Dictionary<int, ActiveTarget> Targets { get; } = [];

    /// <summary>How many times a machine was looked up by MAC.</summary>
    public int MachineReads { get; private set; }

    /// <summary>Runs between reading a machine and reading its target (to make a change land in the middle of a read).</summary>
    public Action? BetweenReads { get; set; }

    public async Task<Machine?> FindMachineAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        MachineReads++;
        return (await machines.ListAsync(new GGnet.Core.Machines.MachineQuery(new GGnet.Core.Common.PageRequest(1, 500)), cancellationToken)).Items.FirstOrDefault(m => m.MacAddress == macAddress);
    }

    public Task<ActiveTarget?> FindActiveTargetAsync(int machineId, CancellationToken cancellationToken)
    {
        BetweenReads?.Invoke();
        return Task.FromResult(Targets.GetValueOrDefault(machineId));
    }

    public async Task<IReadOnlyList<(Machine Machine, ActiveTarget? Target)>> ListMachinesWithTargetsAsync(CancellationToken cancellationToken) =>
        (await machines.ListAsync(new GGnet.Core.Machines.MachineQuery(new GGnet.Core.Common.PageRequest(1, 500)), cancellationToken)).Items.Select(m => (m, (ActiveTarget?)null)).ToList();

    /// <summary>Each batch of script fetches as it was given (a copy: the writer reuses its list).</summary>
    public List<BootEvent[]> FetchBatches { get; } = [];

    public async Task<IReadOnlyCollection<int>> RecordScriptFetchesAsync(IReadOnlyList<BootEvent> fetches, CancellationToken cancellationToken)
    {
        lock (FetchBatches)
        {
            FetchBatches.Add([.. fetches]);
        }
        var changed = new HashSet<int>();
        foreach (var fetch in fetches)
        {
            if (await machines.FindAsync(fetch.MachineId!.Value, cancellationToken) is { } machine && Machine.FetchStillMoves(machine.BootStageChangedAt, fetch.At))
            {
                machine.ObserveBootStage(BootStage.ScriptFetched, fetch.At);
                changed.Add(machine.Id);
            }
        }
        return changed;
    }

    /// <summary>The events recorded with an observation, oldest first.</summary>
    public List<BootEvent> Observed { get; } = [];

    public async Task RecordObservationAsync(int machineId, BootStage stage, BootEvent? bootEvent, DateTime at, CancellationToken cancellationToken)
    {
        if (bootEvent is not null)
        {
            Observed.Add(bootEvent);
        }
        (await machines.FindAsync(machineId, cancellationToken))?.ObserveBootStage(stage, at);
    }

    public async Task RecordObservationsAsync(IReadOnlyList<BootObservation> observations, CancellationToken cancellationToken)
    {
        foreach (var observation in observations)
        {
            await RecordObservationAsync(observation.MachineId, observation.Stage, observation.Event, observation.At, cancellationToken);
        }
    }

    public Task RecordDiscoveredAsync(MacAddress macAddress, DateTime at, Ipv4Address? ipAddress, Firmware? firmware, int keepAtMost, CancellationToken cancellationToken)
    {
        var pc = _discovered.FirstOrDefault(d => d.MacAddress == macAddress);
        if (pc is null)
        {
            foreach (var oldest in _discovered.OrderBy(d => d.LastSeen).Take(_discovered.Count - (keepAtMost - 1)).ToList())
            {
                _discovered.Remove(oldest);
            }
            pc = new DiscoveredPc(macAddress, at);
            _discovered.Add(pc);
        }
        pc.Seen(at, ipAddress, firmware);
        return Task.CompletedTask;
    }

    public Task<(int Events, int Discovered)> PruneAsync(DateTime eventsBefore, DateTime discoveredUnseenSince, CancellationToken cancellationToken) =>
        Task.FromResult((Recent.RemoveAll(e => e.At < eventsBefore), _discovered.RemoveAll(d => d.LastSeen < discoveredUnseenSince)));

    public Task<GGnet.Core.Common.Page<DiscoveredPc>> ListDiscoveredAsync(GGnet.Core.Common.PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(new GGnet.Core.Common.Page<DiscoveredPc>(
            _discovered.OrderByDescending(d => d.LastSeen).Skip((page.SafePageNumber - 1) * page.SafePageSize).Take(page.SafePageSize).ToList(),
            _discovered.Count, page.SafePageNumber, page.SafePageSize));

    public Task<DiscoveredPc?> FindDiscoveredAsync(MacAddress macAddress, CancellationToken cancellationToken) =>
        Task.FromResult(_discovered.FirstOrDefault(d => d.MacAddress == macAddress));

    public Task RemoveDiscoveredAsync(MacAddress macAddress, AuditEvent? audit, CancellationToken cancellationToken)
    {
        _discovered.RemoveAll(d => d.MacAddress == macAddress);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DhcpHost>> ListDhcpHostsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DhcpHost>>([]);

    /// <summary>Boot events, newest first, as the real store lists them.</summary>
    public List<BootEvent> Recent { get; } = [];

    public Task<IReadOnlyList<BootEvent>> ListBootEventsAsync(int machineId, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BootEvent>>(Recent.Where(e => e.MachineId == machineId).Take(count).ToList());

    public Task<IReadOnlyList<BootEvent>> ListRecentBootEventsAsync(int count, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<BootEvent>>(Recent.Take(count).ToList());

    public Task<IReadOnlyDictionary<int, Ipv4Address>> ListLeasedAddressesAsync(IReadOnlyCollection<int> machineIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<int, Ipv4Address>>(Recent
            .Where(e => e is { Kind: BootEventKind.DhcpLease, MachineId: { } id, ClientAddress: not null } && machineIds.Contains(id))
            .GroupBy(e => e.MachineId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.At).First().ClientAddress!));

    public Task<BootEvent?> FindLatestLeaseAsync(Ipv4Address address, CancellationToken cancellationToken) =>
        Task.FromResult(Recent.Where(e => e.Kind == BootEventKind.DhcpLease && e.ClientAddress == address).OrderByDescending(e => e.At).FirstOrDefault());
}

/// <summary>Raises nothing by itself; components can subscribe.</summary>
public sealed class QuietStatusEvents : IStatusEvents
{
    public event Action<int>? MachineUpdated { add { } remove { } }

    public event Action? DiscoveredUpdated { add { } remove { } }

    public event Action? BootPlaneUpdated { add { } remove { } }

    public event Action<int>? ImageUpdated { add { } remove { } }

    public event Action<int?>? BootInputsChanged { add { } remove { } }
}

/// <summary>Notifies nobody.</summary>
public sealed class QuietStatusNotifier : IStatusNotifier
{
    public void MachineChanged(int machineId)
    {
    }

    public void MachineObserved(int machineId)
    {
    }

    public void DiscoveredChanged()
    {
    }

    public void BootPlaneChanged()
    {
    }

    public void ImageChanged(int imageId)
    {
    }
}
