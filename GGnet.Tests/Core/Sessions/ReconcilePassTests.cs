using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Sessions;

/// <summary>
/// A reconcile pass and the running sessions whose disks it looks at each minute: one served needs nothing, not even its
/// machine's lock; one that is not served is looked at under that lock, where a start or stop can't change it meanwhile.
/// tgt's target listing is read once a pass, for the targets to heal and the leftovers alike: tgt writes it on the
/// thread that moves every PC's disk traffic.
/// </summary>
public sealed class ReconcilePassTests
{
    private readonly InMemorySessionWorld _world = new();

    [Fact]
    public async Task ARunningSessionWhoseDiskIsServed_IsLeftAlone_WithoutWaitingForItsMachine()
    {
        var session = await ReadyAsync();

        var report = await _world.Reconcile(new HeldClusterLocks()).ExecuteAsync(CancellationToken.None);

        Assert.Equal(0, report.Skipped);
        Assert.Equal(SessionState.Ready, (await _world.Sessions.FindAsync(session.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task ARunningSessionWhoseDiskIsNotServed_IsLookedAtUnderItsMachinesLock()
    {
        var session = await ReadyAsync();
        _world.Parts.Disks.Remove(session.Target!.LunPath);

        var report = await _world.Reconcile(new HeldClusterLocks()).ExecuteAsync(CancellationToken.None);

        // The lock is another's: the session is left to the next pass.
        Assert.Equal(1, report.Skipped);
    }

    [Fact]
    public async Task APass_AsksTgtForItsListingOnce_AndStillRemovesATargetNoSessionOwns()
    {
        var session = await ReadyAsync();
        var ours = session.Target!.Iqn.Value;
        var orphan = Iqn.Parse(string.Concat(ours.AsSpan(0, ours.LastIndexOf('.') + 1), "999"));
        _world.Parts.Listed.Add(new IscsiTargetState(orphan, ["/disks/session-999.img"], [], []));
        var before = _world.Parts.Listings;

        var report = await _world.Reconcile(new HeldClusterLocks()).ExecuteAsync(CancellationToken.None);

        Assert.Equal(1, _world.Parts.Listings - before);
        Assert.Equal(1, report.OrphanTargetsRemoved);
        Assert.Equal(SessionState.Ready, (await _world.Sessions.FindAsync(session.Id, CancellationToken.None))!.State);
    }

    private async Task<Session> ReadyAsync()
    {
        var pending = await _world.PendingSessionAsync(17);
        await _world.Provision.ExecuteAsync(pending.Id, CancellationToken.None);
        var session = (await _world.Sessions.FindAsync(pending.Id, CancellationToken.None))!;
        Assert.Equal(SessionState.Ready, session.State);
        _world.Parts.Listed.Add(new IscsiTargetState(session.Target!.Iqn, [session.Target.LunPath], [], []));
        return session;
    }
}
