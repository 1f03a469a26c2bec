using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Sessions;

/// <summary>
/// A reconcile pass reads tgt's target listing once, for both of its uses: which running sessions' targets are there, and
/// which listed targets of GGnet's naming no session owns. tgt writes it on the thread that moves every PC's disk traffic.
/// </summary>
public sealed class ReconcileListingTests
{
    private readonly InMemorySessionWorld _world = new();

    [Fact]
    public async Task APass_AsksTgtForItsListingOnce_AndStillRemovesATargetNoSessionOwns()
    {
        var pending = await _world.PendingSessionAsync(17);
        await _world.Provision.ExecuteAsync(pending.Id, CancellationToken.None);
        var session = (await _world.Sessions.FindAsync(pending.Id, CancellationToken.None))!;
        var ours = session.Target!.Iqn.Value;
        var orphan = Iqn.Parse(string.Concat(ours.AsSpan(0, ours.LastIndexOf('.') + 1), "999"));
        _world.Parts.Listed.Add(new IscsiTargetState(session.Target.Iqn, [session.Target.LunPath], [], []));
        _world.Parts.Listed.Add(new IscsiTargetState(orphan, ["/disks/session-999.img"], [], []));
        var before = _world.Parts.Listings;

        var report = await _world.Reconcile(new HeldClusterLocks()).ExecuteAsync(CancellationToken.None);

        Assert.Equal(1, _world.Parts.Listings - before);
        Assert.Equal(1, report.OrphanTargetsRemoved);
        Assert.Equal(SessionState.Ready, (await _world.Sessions.FindAsync(session.Id, CancellationToken.None))!.State);
    }
}
