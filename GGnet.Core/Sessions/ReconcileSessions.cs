using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Sessions;

/// <summary>
/// Compares the database (what should exist) with reality (targets, session disks, scripts, DHCP) and
/// converges: recreates what an active session lacks (after a server or tgtd restart), removes what no
/// session owns, fails what can't be healed — with a reason — and unsticks sessions stuck half-way. Each node reconciles
/// its own sessions, targets and disks; what other nodes' sessions own is left alone. A pass works on a session under its
/// machine's lock and only while the session is as the pass first read it: a start or stop running meanwhile wins, and the
/// next pass looks again. Leftovers are judged against the sessions read after the targets and disks were listed, so a
/// session started during the pass keeps what it made.
/// </summary>
public sealed class ReconcileSessions(
    ISessionRepository sessions,
    GetMachine getMachine,
    IIscsiBackend iscsi,
    IDiskCloner disks,
    IBootNetwork network,
    ISessionJobs jobs,
    IBootSyncTrigger bootSync,
    IAuditLog audit,
    ServerStart serverStart,
    Nodes.LocalNode node,
    SessionTargets targets,
    IClusterLocks locks,
    TimeProvider clock)
{
    // A start or stop holds its machine's lock while it works (a full copy for minutes): the pass does not wait for it.
    private static readonly TimeSpan MachineLockWait = TimeSpan.FromSeconds(2);

    public async Task<ReconcileReport> ExecuteAsync(CancellationToken cancellationToken)
    {
        var report = new ReconcileReport();
        var now = clock.GetUtcNow().UtcDateTime;
        var active = (await sessions.ListActiveAsync(cancellationToken)).Where(s => node.Owns(s.NodeName)).ToList();
        if (active.Count == 0 && !(await iscsi.CheckAsync(cancellationToken)).Available)
        {
            // Nothing to heal, and no target daemon to clean: a fresh install without tgt running is not an error.
            bootSync.Request();
            return report;
        }
        // One listing for both: tgt writes it on the thread that moves every PC's disk traffic (17 ms at 1000 targets).
        var listed = await iscsi.ListTargetsAsync(cancellationToken);
        var existing = listed.Select(t => t.Target.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var read in active)
        {
            await ReconcileAsync(read, existing, now, report, cancellationToken);
        }
        await RemoveLeftoversAsync(listed, report, cancellationToken);

        bootSync.Request();
        if (report.Changed)
        {
            await audit.WriteAsync(new AuditEvent(now, "system", AuditActions.Reconciled, "session", null, null, report.ToString()), cancellationToken);
        }
        return report;
    }

    // One session: what it needs (judged on the first read and again under its machine's lock), done.
    private async Task ReconcileAsync(Session read, HashSet<string> existing, DateTime now, ReconcileReport report, CancellationToken cancellationToken)
    {
        var work = WorkFor(read, existing, now);
        if (work == ReconcileWork.None || work == ReconcileWork.CheckServing && await AllServedAsync(read, read.Target!, cancellationToken))
        {
            return;
        }
        await using var held = await TryLockMachineAsync(read.MachineId, cancellationToken);
        var session = held is null ? null : await sessions.FindAsync(read.Id, cancellationToken);
        if (session is null || session.UpdatedAt != read.UpdatedAt || WorkFor(session, existing, now) != work)
        {
            // Its machine is busy, or a start or stop changed it since the pass read it: the next pass looks again.
            report.Skipped++;
            return;
        }
        var target = session.Target;
        switch (work)
        {
            // A pending session's job may have been lost with a killed process: queue it again (a second run
            // of the job does nothing, since only one run can claim the session).
            case ReconcileWork.RequeueProvisioning:
                jobs.EnqueueProvision(session.Id, session.NodeName);
                report.Requeued++;
                break;
            case ReconcileWork.FailKilledProvisioning:
                await FailAsync(session, "it was being prepared when GGnet was stopped (a crash, a kill or a power cut). Start the session again.", now, cancellationToken);
                report.Failed++;
                break;
            case ReconcileWork.FailStuckProvisioning:
                await FailAsync(session, "provisioning did not finish (the server may have restarted meanwhile). Start the session again.", now, cancellationToken);
                report.Failed++;
                break;
            case ReconcileWork.RequeueTeardown:
                jobs.EnqueueTeardown(session.Id, session.NodeName);
                report.Requeued++;
                break;
            case ReconcileWork.RecreateTarget:
                if (await HealAsync(session, target!, cancellationToken))
                {
                    report.Healed++;
                }
                else
                {
                    await FailAsync(session, $"its disk {target!.LunPath} or one of its data disks is gone, so its iSCSI target can't be recreated. Start the session again.", now, cancellationToken);
                    report.Failed++;
                }
                break;
            // The target is there, but an overlay's export may have died under it: the target then holds a dead file and
            // must be made again on the restarted export. A disk that can't be served any more fails its session (counted there).
            case ReconcileWork.CheckServing:
                if (await ServeAsync(session, target!, now, report, cancellationToken) == DiskServing.Started)
                {
                    await iscsi.DeleteTargetAsync(target!.Iqn, cancellationToken);
                    await CreateTargetAsync(session, target, cancellationToken);
                    report.Healed++;
                }
                break;
        }
    }

    // Targets and disks of GGnet's naming that no active session owns are leftovers: remove them. A session
    // still provisioning owns its target before the database records it, so ownership goes by name. Another node's
    // sessions count too: nodes may share a target daemon or a disk folder. The sessions are read after the listings:
    // whatever was listed was made by a session that exists by then (a target removed since is no error to remove).
    private async Task RemoveLeftoversAsync(IReadOnlyList<IscsiTargetState> listedTargets, ReconcileReport report, CancellationToken cancellationToken)
    {
        var listedDisks = await disks.ListAsync(cancellationToken);
        var stillActive = await sessions.ListActiveAsync(cancellationToken);
        var owned = stillActive.Select(s => (s.Target?.Iqn ?? network.Naming.TargetForSession(s.Id)).Value).ToHashSet(StringComparer.Ordinal);
        var prefix = network.Naming.Authority.Value + ":session.";
        foreach (var orphan in listedTargets.Where(t => t.Target.Value.StartsWith(prefix, StringComparison.Ordinal) && !owned.Contains(t.Target.Value)))
        {
            await iscsi.DeleteTargetAsync(orphan.Target, cancellationToken);
            report.OrphanTargetsRemoved++;
        }
        var ownedDisks = stillActive.SelectMany(s => (IEnumerable<string>)[s.Target?.LunPath ?? disks.PathFor(s.Id), .. SessionDisks.DataPathsOf(disks, s)])
            .Concat((await sessions.ListKeptDisksAsync(cancellationToken)).Select(s => s.KeptDiskPath!))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var disk in listedDisks)
        {
            if (!ownedDisks.Contains(disk))
            {
                await disks.DeleteAsync(disk, cancellationToken);
                report.OrphanDisksRemoved++;
            }
        }
    }

    // What a session needs from the pass (ReconcileRules), judged on the first read and again on the fresh one under the machine's lock.
    private ReconcileWork WorkFor(Session session, HashSet<string> existingTargets, DateTime now) =>
        ReconcileRules.WorkFor(session.State, now - session.UpdatedAt, session.UpdatedAt < serverStart.At,
            session.Target is not { } target ? TargetPresence.NoTarget : existingTargets.Contains(target.Iqn.Value) ? TargetPresence.Listed : TargetPresence.Missing);

    private async Task<IAsyncDisposable?> TryLockMachineAsync(int machineId, CancellationToken cancellationToken)
    {
        try
        {
            return await locks.AcquireAsync(ClusterLockNames.Machine(machineId), MachineLockWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task<bool> HealAsync(Session session, Target target, CancellationToken cancellationToken)
    {
        foreach (var disk in DisksOf(session, target))
        {
            if (!await disks.ExistsAsync(disk, cancellationToken))
            {
                return false;
            }
        }
        foreach (var disk in DisksOf(session, target))
        {
            await disks.ServeAsync(disk, cancellationToken);
        }
        await CreateTargetAsync(session, target, cancellationToken);
        return true;
    }

    // The system disk, then the data disks: every file the session's target serves read-write.
    private List<string> DisksOf(Session session, Target target) => [target.LunPath, .. SessionDisks.DataPathsOf(disks, session)];

    // A running session whose disks are all served needs nothing: looked at without its machine's lock or a fresh read (a
    // hall of a thousand PCs, every minute); one that is not gets both before anything is done.
    private async Task<bool> AllServedAsync(Session session, Target target, CancellationToken cancellationToken)
    {
        foreach (var disk in DisksOf(session, target))
        {
            if (!await disks.IsServedAsync(disk, cancellationToken))
            {
                return false;
            }
        }
        return true;
    }

    // Started when any of the session's disks had to be served again: its target then holds a dead file.
    private async Task<DiskServing?> ServeAsync(Session session, Target target, DateTime now, ReconcileReport report, CancellationToken cancellationToken)
    {
        try
        {
            var serving = DiskServing.AlreadyServed;
            foreach (var disk in DisksOf(session, target))
            {
                if (await disks.ServeAsync(disk, cancellationToken) == DiskServing.Started)
                {
                    serving = DiskServing.Started;
                }
            }
            return serving;
        }
        catch (Exception problem) when (problem is IOException or InvalidOperationException)
        {
            await FailAsync(session, $"its disk {target.LunPath} can't be served any more ({problem.Message}). Start the session again.", now, cancellationToken);
            report.Failed++;
            return null;
        }
    }

    private async Task CreateTargetAsync(Session session, Target target, CancellationToken cancellationToken) =>
        await targets.RecreateAsync(session, target, await getMachine.ExecuteAsync(session.MachineId, cancellationToken), cancellationToken);

    // A persistent PC's session holds the PC's own disk from the start on; ended here, it keeps the disk where it is found:
    // still where the last session kept it, or already moved to this session's path (a crash between the two).
    private async Task KeepOwnDiskAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.KeptDiskPath is not { } own)
        {
            return;
        }
        var disk = session.Target?.LunPath ?? disks.PathFor(session.Id);
        if (own != disk && !await disks.ExistsAsync(own, cancellationToken) && await disks.ExistsAsync(disk, cancellationToken))
        {
            session.KeepDisk(disk);
        }
        if (session.KeptDiskPath == disk)
        {
            await disks.ReleaseAsync(disk, cancellationToken);
        }
        if (!await disks.ExistsAsync(session.KeptDiskPath!, cancellationToken))
        {
            session.ReleaseKeptDisk();
        }
    }

    private async Task FailAsync(Session session, string why, DateTime now, CancellationToken cancellationToken)
    {
        if (session.Target is { } target)
        {
            await iscsi.DeleteTargetAsync(target.Iqn, cancellationToken);
        }
        await KeepOwnDiskAsync(session, cancellationToken);
        var reason = "GGnet stopped this session: " + why;
        session.Fail(reason, now);
        await sessions.SaveAsync(session, null, cancellationToken);
    }
}

/// <summary>What one reconcile pass changed.</summary>
public sealed class ReconcileReport
{
    public int Healed { get; set; }

    public int Failed { get; set; }

    public int Requeued { get; set; }

    public int OrphanTargetsRemoved { get; set; }

    public int OrphanDisksRemoved { get; set; }

    /// <summary>Sessions left to the next pass: their machine was busy, or they changed while the pass ran.</summary>
    public int Skipped { get; set; }

    public bool Changed => Healed + Failed + Requeued + OrphanTargetsRemoved + OrphanDisksRemoved > 0;

    public override string ToString() =>
        $"healed={Healed} failed={Failed} requeued={Requeued} orphan-targets-removed={OrphanTargetsRemoved} orphan-disks-removed={OrphanDisksRemoved} skipped={Skipped}";
}
