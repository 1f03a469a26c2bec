using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Boot;

/// <summary>Which PCs' script fetches the writer may leave unread: only repeats, against a state read less than two seconds ago.</summary>
public sealed class RecentBootStatesTests
{
    private static readonly DateTime T0 = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
    private static readonly PcBootState Waiting = new(BootStage.ScriptFetched, T0, T0);
    private static readonly IReadOnlySet<int> NoneWritten = new HashSet<int>();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(T0));
    private readonly RecentBootStates _recent;

    public RecentBootStatesTests() => _recent = new RecentBootStates(_clock);

    [Fact]
    public void Unchanging_AreTheRepeatsThatWouldWriteNothing_AgainstAStateReadLessThanTwoSecondsAgo()
    {
        _recent.Remember(new Dictionary<int, PcBootState> { [1] = Waiting, [2] = Waiting, [3] = Waiting }, NoneWritten, _recent.Mark(), T0);
        _clock.Advance(TimeSpan.FromSeconds(1.9));

        // 1 asks again within a second; 2 was last seen 6 s before (a write of "last seen"); 3 after 12 s (a new boot); 4 unknown.
        var unchanging = _recent.Unchanging([Fetch(1, 1), Fetch(2, 6), Fetch(3, 12), Fetch(4, 1), Fetch(1, 2)]);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var afterTwoSeconds = _recent.Unchanging([Fetch(1, 2)]);

        Assert.Equal([1], unchanging);
        Assert.Empty(afterTwoSeconds);
    }

    [Fact]
    public void APcTheBatchWrote_OrForgotten_IsReadAgain()
    {
        _recent.Remember(new Dictionary<int, PcBootState> { [1] = Waiting, [2] = Waiting, [3] = Waiting }, new HashSet<int> { 2 }, _recent.Mark(), T0);
        _recent.Forget([3]);

        Assert.Equal([1], _recent.Unchanging([Fetch(1, 1), Fetch(2, 1), Fetch(3, 1)]));
    }

    [Fact]
    public void AReadThatAnObservationOvertook_IsNotRemembered_ButALaterReadIs()
    {
        var mark = _recent.Mark();
        // Saved and forgotten while the writer's read was under way: what that read found may be older than the observation.
        _recent.Forget([1]);
        _recent.Remember(new Dictionary<int, PcBootState> { [1] = Waiting }, NoneWritten, mark, T0);
        var overtaken = _recent.Unchanging([Fetch(1, 1)]);
        _recent.Remember(new Dictionary<int, PcBootState> { [1] = Waiting }, NoneWritten, _recent.Mark(), T0);

        Assert.Empty(overtaken);
        Assert.Equal([1], _recent.Unchanging([Fetch(1, 1)]));
    }

    private static BootEvent Fetch(int machineId, int seconds) =>
        new(machineId, MacAddress.Parse($"aa:bb:cc:00:00:{machineId:x2}"), BootEventKind.ScriptFetchedHttp, null, T0.AddSeconds(seconds));
}
