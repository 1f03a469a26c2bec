using System.Collections.Concurrent;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>What a known PC's script is made of: its machine and its active session's target.</summary>
public sealed record PcBootInputs(Machine Machine, ActiveTarget? Target);

/// <summary>Whether this process hears of every change to machines, sessions and images (one node, or several sharing Redis).</summary>
public sealed record BootInputsCaching(bool Enabled);

/// <summary>
/// Keeps what each known PC's script is made of between changes, so that a hall booting at once does not read the
/// database for every script request. An entry is used only while no change was announced since it was read, neither
/// to its machine (its record, session or CHAP) nor to what every script depends on (images, the boot plane); what no
/// change announces (a node's portal address) ages out after <see cref="MaxAge"/>. When this process cannot hear every
/// change (several nodes without Redis), every request reads the database.
/// </summary>
public sealed class BootInputs : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly IBootRepository _boot;
    private readonly IStatusEvents _events;
    private readonly TimeProvider _clock;
    private readonly Telemetry.GGnetMetrics _metrics;
    private readonly bool _enabled;
    private readonly ConcurrentDictionary<MacAddress, Entry> _entries = new();
    private readonly ConcurrentDictionary<int, long> _machineChangedAt = new();
    private long _changes;
    private long _everythingChangedAt;

    public BootInputs(IBootRepository boot, IStatusEvents events, TimeProvider clock, BootInputsCaching caching, Telemetry.GGnetMetrics metrics)
    {
        _boot = boot;
        _events = events;
        _clock = clock;
        _metrics = metrics;
        _enabled = caching.Enabled;
        _events.BootInputsChanged += Changed;
    }

    /// <summary>The PC's machine and target; null for a MAC no machine has.</summary>
    public async Task<PcBootInputs?> FindAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        if (_enabled && _entries.TryGetValue(macAddress, out var entry) && IsCurrent(entry))
        {
            _metrics.BootInputsRead(fromMemory: true);
            return entry.Inputs;
        }
        // Read before the database: a change announced from here on is newer than what the database gives.
        var readAt = Interlocked.Read(ref _changes);
        var readTime = _clock.GetTimestamp();
        var machine = await _boot.FindMachineAsync(macAddress, cancellationToken);
        if (machine is null)
        {
            _entries.TryRemove(macAddress, out _);
            return null;
        }
        var inputs = new PcBootInputs(machine, await _boot.FindActiveTargetAsync(machine.Id, cancellationToken));
        _metrics.BootInputsRead(fromMemory: false);
        if (_enabled)
        {
            _entries[macAddress] = new Entry(inputs, readAt, readTime);
        }
        return inputs;
    }

    public void Dispose() => _events.BootInputsChanged -= Changed;

    private bool IsCurrent(Entry entry) =>
        Interlocked.Read(ref _everythingChangedAt) <= entry.ReadAt
        && (!_machineChangedAt.TryGetValue(entry.Inputs.Machine.Id, out var changedAt) || changedAt <= entry.ReadAt)
        && _clock.GetElapsedTime(entry.ReadTime) < MaxAge;

    private void Changed(int? machineId)
    {
        var at = Interlocked.Increment(ref _changes);
        if (machineId is { } id)
        {
            _machineChangedAt.AddOrUpdate(id, at, (_, earlier) => Math.Max(earlier, at));
            return;
        }
        long current;
        do
        {
            current = Interlocked.Read(ref _everythingChangedAt);
        }
        while (current < at && Interlocked.CompareExchange(ref _everythingChangedAt, at, current) != current);
    }

    private sealed record Entry(PcBootInputs Inputs, long ReadAt, long ReadTime);
}
