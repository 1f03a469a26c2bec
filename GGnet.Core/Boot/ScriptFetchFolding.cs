using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Boot;

/// <summary>Where a PC's boot stands: its stage, since when, and when GGnet last saw it.</summary>
public sealed record PcBootState(BootStage Stage, DateTime? StageChangedAt, DateTime? LastSeen);

/// <summary>A booting stage a PC left, and how long it was there (for the stage-time metrics).</summary>
public sealed record StageLeft(BootStage Stage, TimeSpan Spent);

/// <summary>What a batch of script fetches comes to: the fetches that get a row in the timeline, each PC's new state, and the stages left.</summary>
public sealed record FoldedFetches(IReadOnlyList<BootEvent> Recorded, IReadOnlyDictionary<int, PcBootState> Machines, IReadOnlyList<StageLeft> StagesLeft)
{
    /// <summary>The machines the batch changes: a row in their timeline, or a new state. The others only asked again.</summary>
    public IReadOnlySet<int> Changed => Machines.Keys.Union(Recorded.Select(f => f.MachineId!.Value)).ToHashSet();
}

/// <summary>
/// The rules for a PC's script fetches, in time order per PC:
/// <list type="bullet">
/// <item>a fetch of a PC GGnet doesn't know (deleted meanwhile) counts for nothing;</item>
/// <item>a fetch while the PC still waits at ScriptFetched, less than <see cref="RepeatWindow"/> from when it was last seen, is a
/// repeat (iPXE retrying, a waiting screen asking again, a flood): it moves only when the PC was last seen, and gets no row;</item>
/// <item>any other fetch gets a row; it moves the PC to ScriptFetched unless the PC got further after it (a fetch saved late
/// never moves a PC back), and the stage it leaves is reported with its time.</item>
/// </list>
/// So the timeline and the dashboard keep the first fetch of each boot and every stage change; how often scripts are asked
/// for is counted by the request metrics, not by rows, and "last seen" is kept to <see cref="LastSeenResolution"/>.
/// </summary>
public static class ScriptFetchFolding
{
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How exactly "last seen" is kept: a repeat within this of the stored time changes nothing worth a write (a hall's
    /// waiting screens asking every few seconds would otherwise make a write for every PC every second).
    /// </summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromSeconds(5);

    public static FoldedFetches Fold(IReadOnlyList<BootEvent> fetches, IReadOnlyDictionary<int, PcBootState> before)
    {
        var recorded = new List<BootEvent>(fetches.Count);
        var after = new Dictionary<int, PcBootState>();
        var left = new List<StageLeft>();
        // In time order: the requests of one moment reach the batch in any order.
        foreach (var fetch in fetches.OrderBy(f => f.At))
        {
            var id = fetch.MachineId!.Value;
            if ((after.TryGetValue(id, out var moved) ? moved : before.GetValueOrDefault(id)) is not { } pc)
            {
                continue;
            }
            if (IsRepeat(pc, fetch.At))
            {
                after[id] = pc with { LastSeen = fetch.At > pc.LastSeen ? fetch.At : pc.LastSeen };
                continue;
            }
            recorded.Add(fetch);
            if (!Machine.FetchStillMoves(pc.StageChangedAt, fetch.At))
            {
                continue;
            }
            if (pc.Stage != BootStage.ScriptFetched)
            {
                if (pc.Stage is not (BootStage.Idle or BootStage.Offline) && pc.StageChangedAt is { } since && fetch.At >= since)
                {
                    left.Add(new StageLeft(pc.Stage, fetch.At - since));
                }
                pc = pc with { Stage = BootStage.ScriptFetched, StageChangedAt = fetch.At };
            }
            after[id] = pc with { LastSeen = fetch.At };
        }
        // A PC whose only news is being seen again within LastSeenResolution of the stored time is not written at all.
        var changed = after.Where(pc => !before.TryGetValue(pc.Key, out var stored) || pc.Value.Stage != stored.Stage
            || pc.Value.StageChangedAt != stored.StageChangedAt || stored.LastSeen is not { } seen || pc.Value.LastSeen - seen >= LastSeenResolution);
        return new FoldedFetches(recorded, changed.ToDictionary(), left);
    }

    // Either side of the last sighting: a fetch of the same moment can reach a later batch than one made just after it.
    private static bool IsRepeat(PcBootState pc, DateTime at) =>
        pc.Stage == BootStage.ScriptFetched && pc.LastSeen is { } seen && (at - seen).Duration() < RepeatWindow;
}
