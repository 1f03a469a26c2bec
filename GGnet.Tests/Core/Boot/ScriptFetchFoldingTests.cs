using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;

namespace GGnet.Tests.Core.Boot;

/// <summary>What a PC's script fetches do to its timeline and its boot stage, case by case.</summary>
public sealed class ScriptFetchFoldingTests
{
    private const int Pc = 7;
    private static readonly DateTime T0 = new(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc);
    private static readonly MacAddress Mac = MacAddress.Parse("aa:bb:cc:00:00:07");

    public static TheoryData<string, BootStage, int?, int?, int[], int, BootStage, int?> Cases => new()
    {
        // what, stage before, changed at (s), last seen (s), fetches at (s), rows, stage after, changed at after (s)
        { "an idle PC's first fetch", BootStage.Idle, null, null, [5], 1, BootStage.ScriptFetched, 5 },
        { "ten fetches of one boot in a moment, in any order", BootStage.Idle, null, null, [9, 5, 7, 6, 5, 6, 7, 5, 8, 6], 1, BootStage.ScriptFetched, 5 },
        { "a fetch of a moment before the last sighting, saved later", BootStage.ScriptFetched, 0, 4, [3], 0, BootStage.ScriptFetched, 0 },
        { "a repeat 9 s after the PC was last seen", BootStage.ScriptFetched, 0, 1, [10], 0, BootStage.ScriptFetched, 0 },
        { "a fetch 10 s after the PC was last seen", BootStage.ScriptFetched, 0, 1, [11], 1, BootStage.ScriptFetched, 0 },
        { "a waiting screen asking every 5 s for a minute", BootStage.ScriptFetched, 0, 0, [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60], 0, BootStage.ScriptFetched, 0 },
        { "a fetch right after the disk attached (a new boot)", BootStage.DiskAttached, 3, 3, [4], 1, BootStage.ScriptFetched, 4 },
        { "a fetch saved after the PC got further", BootStage.DiskAttached, 6, 6, [2], 1, BootStage.DiskAttached, 6 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fold(string what, BootStage stage, int? changedAt, int? lastSeen, int[] fetchesAt, int rows, BootStage stageAfter, int? changedAtAfter)
    {
        var before = new Dictionary<int, PcBootState> { [Pc] = new(stage, At(changedAt), At(lastSeen)) };

        var folded = ScriptFetchFolding.Fold(fetchesAt.Select(s => Fetch(Pc, s)).ToList(), before);

        var after = folded.Machines.GetValueOrDefault(Pc) ?? before[Pc];
        Assert.True(rows == folded.Recorded.Count, $"{what}: {folded.Recorded.Count} rows, not {rows}");
        Assert.Equal(stageAfter, after.Stage);
        Assert.Equal(At(changedAtAfter), after.StageChangedAt);
    }

    [Fact]
    public void ARepeat_MovesWhenThePcWasLastSeen()
    {
        var folded = ScriptFetchFolding.Fold([Fetch(Pc, 3), Fetch(Pc, 8)], new Dictionary<int, PcBootState> { [Pc] = new(BootStage.ScriptFetched, T0, T0) });

        Assert.Empty(folded.Recorded);
        Assert.Equal(T0.AddSeconds(8), folded.Machines[Pc].LastSeen);
    }

    [Fact]
    public void ARepeatWithinTheLastSeenResolution_ChangesNothingToWrite()
    {
        var stored = T0 - ScriptFetchFolding.LastSeenResolution + TimeSpan.FromMilliseconds(500);
        var folded = ScriptFetchFolding.Fold([Fetch(Pc, 0), Fetch(Pc, 0)], new Dictionary<int, PcBootState> { [Pc] = new(BootStage.ScriptFetched, T0, stored) });

        Assert.Empty(folded.Recorded);
        Assert.Empty(folded.Machines);
    }

    [Fact]
    public void ARepeatAsLateAsTheLastSeenResolution_IsWritten()
    {
        var stored = T0 - ScriptFetchFolding.LastSeenResolution;
        var folded = ScriptFetchFolding.Fold([Fetch(Pc, 0)], new Dictionary<int, PcBootState> { [Pc] = new(BootStage.ScriptFetched, stored, stored) });

        Assert.Empty(folded.Recorded);
        Assert.Equal(T0, folded.Machines[Pc].LastSeen);
    }

    [Fact]
    public void Changed_NamesThePcsWithARowOrANewState_NotThoseThatOnlyAskedAgain()
    {
        var folded = ScriptFetchFolding.Fold([Fetch(1, 0), Fetch(2, 4), Fetch(3, 2)], new Dictionary<int, PcBootState>
        {
            [1] = new(BootStage.ScriptFetched, T0, T0.AddMilliseconds(-500)),
            [2] = new(BootStage.Idle, null, null),
            // Saved after the PC got further: a row in its timeline, its state unchanged.
            [3] = new(BootStage.DiskAttached, T0.AddSeconds(6), T0.AddSeconds(6)),
        });

        Assert.Equal([2, 3], folded.Changed.Order());
    }

    [Fact]
    public void AFetchOfAPcGGnetDoesNotKnow_CountsForNothing()
    {
        var folded = ScriptFetchFolding.Fold([Fetch(99, 1)], new Dictionary<int, PcBootState>());

        Assert.Empty(folded.Recorded);
        Assert.Empty(folded.Machines);
    }

    [Fact]
    public void LeavingABootingStage_ReportsItsTime_LeavingIdleDoesNot()
    {
        var folded = ScriptFetchFolding.Fold([Fetch(1, 4), Fetch(2, 4)], new Dictionary<int, PcBootState>
        {
            [1] = new(BootStage.DhcpLease, T0.AddSeconds(1), T0.AddSeconds(1)),
            [2] = new(BootStage.Idle, T0, T0),
        });

        var left = Assert.Single(folded.StagesLeft);
        Assert.Equal(BootStage.DhcpLease, left.Stage);
        Assert.Equal(TimeSpan.FromSeconds(3), left.Spent);
    }

    private static DateTime? At(int? seconds) => seconds is { } s ? T0.AddSeconds(s) : null;

    private static BootEvent Fetch(int machineId, int seconds) => new(machineId, Mac, BootEventKind.ScriptFetchedHttp, null, T0.AddSeconds(seconds));
}
