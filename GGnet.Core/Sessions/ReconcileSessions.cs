using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Sessions;

/// <summary>
/// Compares the database (what should exist) with reality (targets, session disks, scripts, DHCP) and
/// converges: recreates what an active session lacks (after a server or tgtd restart), removes what no
/// session owns, fails what can't be healed — with a reason — and unsticks sessions stuck half-way. Each node reconciles
/// its own sessions, targets and disks; what other nodes' sessions own is left alone.
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
    IStatusNotifier notifier,
    ServerStart serverStart,
    Nodes.LocalNode node,
    MachineChap chap,
    PublishWebhookEvents events,
    TimeProvider clock)
{
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    public async Task<ReconcileReport> ExecuteAsync(CancellationToken cancellationToken)
    {
        var report = new ReconcileReport();
        var now = clock.GetUtcNow().UtcDateTime;
        var everyNode = await sessions.ListActiveAsync(cancellationToken);
        var active = everyNode.Where(s => node.Owns(s.NodeName)).ToList();
        if (active.Count == 0 && !(await iscsi.CheckAsync(cancellationToken)).Available)
        {
            // Nothing to heal, and no target daemon to clean: a fresh install without tgt running is not an error.
            bootSync.Request();
            return report;
        }
        var targets = await iscsi.ListTargetsAsync(cancellationToken);
        var existing = targets.Select(t => t.Target.Value).ToHashSet(StringComparer.Ordinal);

        var failed = new HashSet<int>();
        foreach (var session in active)
        {
            switch (session.State)
            {
                // A pending session's job may have been lost with a killed process: queue it again (a second run
                // of the job does nothing, since only one run can claim the session).
                case SessionState.Pending when now - session.UpdatedAt > TimeSpan.FromSeconds(30) || session.UpdatedAt < serverStart.At:
                    jobs.EnqueueProvision(session.Id, session.NodeName);
                    report.Requeued++;
                    break;
                case SessionState.Provisioning when session.UpdatedAt < serverStart.At:
                    await FailAsync(session, "it was being prepared when GGnet was stopped (a crash, a kill or a power cut). Start the session again.", now, cancellationToken);
                    failed.Add(session.Id);
                    report.Failed++;
                    break;
                case SessionState.Provisioning when now - session.UpdatedAt > StuckAfter:
                    await FailAsync(session, "provisioning did not finish (the server may have restarted meanwhile). Start the session again.", now, cancellationToken);
                    failed.Add(session.Id);
                    report.Failed++;
                    break;
                case SessionState.Stopping when now - session.UpdatedAt > TimeSpan.FromSeconds(30):
                    jobs.EnqueueTeardown(session.Id, session.NodeName);
                    report.Requeued++;
                    break;
                case SessionState.Ready or SessionState.Booting or SessionState.Online when session.Target is { } target && !existing.Contains(target.Iqn.Value):
                    if (await HealAsync(session, target, cancellationToken))
                    {
                        report.Healed++;
                    }
                    else
                    {
                        await FailAsync(session, $"its disk {target.LunPath} is gone, so its iSCSI target can't be recreated. Start the session again.", now, cancellationToken);
                        failed.Add(session.Id);
                        report.Failed++;
                    }
                    break;
                case SessionState.Ready or SessionState.Booting or SessionState.Online when session.Target is { } target:
                    // The target is there, but an overlay's export may have died under it: the target then holds a dead
                    // file and must be made again on the restarted export.
                    var serving = await ServeAsync(session, target, now, report, cancellationToken);
                    if (serving is null)
                    {
                        failed.Add(session.Id);
                    }
                    else if (serving == DiskServing.Started)
                    {
                        await iscsi.DeleteTargetAsync(target.Iqn, cancellationToken);
                        await CreateTargetAsync(session, target, cancellationToken);
                        report.Healed++;
                    }
                    break;
            }
        }

        // Targets and disks of GGnet's naming that no active session owns are leftovers: remove them. A session
        // still provisioning owns its target before the database records it, so ownership goes by name. Another node's
        // sessions count too: nodes may share a target daemon or a disk folder.
        var stillActive = everyNode.Where(s => !failed.Contains(s.Id)).ToList();
        var owned = stillActive.Select(s => (s.Target?.Iqn ?? network.Naming.TargetForSession(s.Id)).Value).ToHashSet(StringComparer.Ordinal);
        var prefix = network.Naming.Authority.Value + ":session.";
        foreach (var orphan in targets.Where(t => t.Target.Value.StartsWith(prefix, StringComparison.Ordinal) && !owned.Contains(t.Target.Value)))
        {
            await iscsi.DeleteTargetAsync(orphan.Target, cancellationToken);
            report.OrphanTargetsRemoved++;
        }
        var ownedDisks = stillActive.Select(s => s.Target?.LunPath ?? disks.PathFor(s.Id))
            .Concat((await sessions.ListKeptDisksAsync(cancellationToken)).Select(s => s.KeptDiskPath!))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var disk in await disks.ListAsync(cancellationToken))
        {
            if (!ownedDisks.Contains(disk))
            {
                await disks.DeleteAsync(disk, cancellationToken);
                report.OrphanDisksRemoved++;
            }
        }

        bootSync.Request();
        if (report.Changed)
        {
            await audit.WriteAsync(new AuditEvent(now, "system", AuditActions.Reconciled, "session", null, null, report.ToString()), cancellationToken);
        }
        return report;
    }

    private async Task<bool> HealAsync(Session session, Target target, CancellationToken cancellationToken)
    {
        if (!await disks.ExistsAsync(target.LunPath, cancellationToken))
        {
            return false;
        }
        await disks.ServeAsync(target.LunPath, cancellationToken);
        await CreateTargetAsync(session, target, cancellationToken);
        return true;
    }

    private async Task<DiskServing?> ServeAsync(Session session, Target target, DateTime now, ReconcileReport report, CancellationToken cancellationToken)
    {
        try
        {
            return await disks.ServeAsync(target.LunPath, cancellationToken);
        }
        catch (Exception problem) when (problem is IOException or InvalidOperationException)
        {
            await FailAsync(session, $"its disk {target.LunPath} can't be served any more ({problem.Message}). Start the session again.", now, cancellationToken);
            report.Failed++;
            return null;
        }
    }

    private async Task CreateTargetAsync(Session session, Target target, CancellationToken cancellationToken)
    {
        var machine = await getMachine.ExecuteAsync(session.MachineId, cancellationToken);
        await iscsi.CreateTargetAsync(new IscsiTargetSpec(target.Iqn, target.LunPath, network.Naming.InitiatorFor(machine), chap.ForTarget(machine, target.ChapUser, target.ChapMutual)), cancellationToken);
    }

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
        await sessions.SaveAsync(session, new AuditEvent(now, "system", AuditActions.SessionFailed, "session", session.Id.ToString(CultureInfo.InvariantCulture), null, reason), cancellationToken);
        notifier.MachineChanged(session.MachineId);
        await events.SessionChangedAsync(session, cancellationToken);
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

    public bool Changed => Healed + Failed + Requeued + OrphanTargetsRemoved + OrphanDisksRemoved > 0;

    public override string ToString() =>
        $"healed={Healed} failed={Failed} requeued={Requeued} orphan-targets-removed={OrphanTargetsRemoved} orphan-disks-removed={OrphanDisksRemoved}";
}
