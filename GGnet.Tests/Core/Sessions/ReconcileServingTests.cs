using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Sessions;

/// <summary>
/// A reconcile pass and the running sessions whose disks it looks at each minute: one served needs nothing, not even its
/// machine's lock; one that is not served is looked at under that lock, where a start or stop can't change it meanwhile.
/// </summary>
public sealed class ReconcileServingTests
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
