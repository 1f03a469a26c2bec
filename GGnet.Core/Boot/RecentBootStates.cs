using System.Collections.Concurrent;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Boot;

/// <summary>
/// The boot states of PCs that only keep asking for their scripts, as last read from the database, so that the one writer
/// of script fetches does not read them again for every batch: a hall of waiting screens, or a flood of requests, had it
/// read every PC's state ten times a second for nothing to write (docs/benchmarks.md, boot-script endpoint). A state is
/// trusted for <see cref="TrustFor"/> after it was read, and forgotten as soon as this GGnet saves an observation of the PC
/// (a lease, a login, a stage). An observation saved by another node is seen at the next read, within that time.
/// </summary>
public sealed class RecentBootStates(TimeProvider clock)
{
    /// <summary>How long a state read from the database is taken as the PC's.</summary>
    public static readonly TimeSpan TrustFor = TimeSpan.FromSeconds(2);

    private static readonly IReadOnlySet<int> None = new HashSet<int>();

    private readonly ConcurrentDictionary<int, Known> _known = new();
    private long _forgotten;

    // A state read at ReadAt; or, with no state, the PC forgotten. Change orders both against a read's mark.
    private sealed record Known(PcBootState? State, DateTime ReadAt, long Change);

    /// <summary>Taken before reading states from the database: a PC forgotten after it is not remembered from that read.</summary>
    public long Mark() => Interlocked.Read(ref _forgotten);

    /// <summary>
    /// The PCs whose fetches here change nothing against a state still trusted (each a repeat within
    /// <see cref="ScriptFetchFolding.LastSeenResolution"/> of its last sighting): they need neither a read nor a write.
    /// </summary>
    public IReadOnlySet<int> Unchanging(IReadOnlyList<BootEvent> fetches)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var trusted = new Dictionary<int, PcBootState>();
        foreach (var fetch in fetches)
        {
            var id = fetch.MachineId!.Value;
            if (!trusted.ContainsKey(id) && _known.TryGetValue(id, out var known) && known.State is { } state && now - known.ReadAt < TrustFor)
            {
                trusted[id] = state;
            }
        }
        if (trusted.Count == 0)
        {
            return None;
        }
        var changing = ScriptFetchFolding.Fold(fetches.Where(f => trusted.ContainsKey(f.MachineId!.Value)).ToList(), trusted).Changed;
        return trusted.Keys.Where(id => !changing.Contains(id)).ToHashSet();
    }

    /// <summary>
    /// Remembers the states read after <paramref name="mark"/> at <paramref name="readAt"/>, but not those of the PCs the batch
    /// wrote (read again next time), nor of a PC forgotten since the mark.
    /// </summary>
    public void Remember(IReadOnlyDictionary<int, PcBootState> read, IReadOnlySet<int> written, long mark, DateTime readAt)
    {
        foreach (var (id, state) in read)
        {
            if (written.Contains(id))
            {
                _known.TryRemove(id, out _);
                continue;
            }
            var fresh = new Known(state, readAt, mark);
            _known.AddOrUpdate(id, fresh, (_, old) => old.Change > mark ? old : fresh);
        }
    }

    /// <summary>These PCs' states changed otherwise than by a fetch: the next fetch of each reads it again.</summary>
    public void Forget(IEnumerable<int> machineIds)
    {
        foreach (var id in machineIds)
        {
            _known[id] = new Known(null, default, Interlocked.Increment(ref _forgotten));
        }
    }
}
