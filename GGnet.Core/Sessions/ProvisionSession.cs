using System.Globalization;
using System.Text;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Images;
using GGnet.Core.Iscsi;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Sessions;

/// <summary>
/// The job behind a session start: disk clone → iSCSI target → the machine's TFTP script → DHCP, then Ready.
/// Re-entrant (a job run twice provisions once: the first run claims the pending session); any failing step undoes the
/// steps already done, in reverse, and the session ends Failed with a sentence saying why.
/// </summary>
public sealed class ProvisionSession(
    ISessionRepository sessions,
    IImageRepository images,
    GetMachine getMachine,
    IDiskCloner disks,
    IIscsiBackend iscsi,
    IBootNetwork network,
    BootScriptComposer scripts,
    IBootFileStore files,
    IImportFolder importFolder,
    IBootSyncTrigger bootSync,
    ISessionJobs jobs,
    IStatusNotifier notifier,
    ProvisioningProgress progress,
    MachineChap chap,
    Telemetry.GGnetMetrics metrics,
    TimeProvider clock)
{
    public async Task ExecuteAsync(int sessionId, CancellationToken cancellationToken)
    {
        // Only the run that moves the session out of Pending works on it: a job enqueued twice (a restart's
        // reconcile re-queues what may still be queued) or a retried one does nothing.
        if (!await sessions.TryClaimForProvisioningAsync(sessionId, Now, cancellationToken)
            || await sessions.FindAsync(sessionId, cancellationToken) is not { State: SessionState.Provisioning } session)
        {
            return;
        }
        notifier.MachineChanged(session.MachineId);

        var undo = new Stack<Func<Task>>();
        var step = "prepare";
        try
        {
            var machine = await getMachine.ExecuteAsync(session.MachineId, cancellationToken);
            var version = await images.FindVersionAsync(session.ImageVersionId, cancellationToken)
                ?? throw new InvalidOperationException("its image version no longer exists");
            var image = await images.FindAsync(version.ImageId, cancellationToken);

            step = "clone the disk";
            var disk = await PrepareDiskAsync(session, machine, version, undo, cancellationToken);

            step = "serve the disk";
            await disks.ServeAsync(disk, cancellationToken);

            step = "create the iSCSI target";
            var credentials = await CreateTargetAsync(session, machine, disk, undo, cancellationToken);

            step = "write the machine's boot script";
            await WriteScriptAsync(session, machine, ImageVersion.Label(image?.Name ?? "", version.Number), credentials, undo, cancellationToken);

            step = "save the session";
            if (!await SaveReadyAsync(session, credentials, cancellationToken))
            {
                return;
            }
            bootSync.Request();
            metrics.SessionStarted(Now - session.CreatedAt);
        }
        catch (Exception problem) when (problem is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var action in undo)
            {
                await UndoQuietlyAsync(action);
            }
            var reason = $"GGnet could not {step}: {problem.Message}";
            var failed = await sessions.FindAsync(sessionId, CancellationToken.None) ?? session;
            failed.Fail(reason, Now);
            await sessions.SaveAsync(failed, null, CancellationToken.None);
        }
    }

    // The session's disk: the persistent PC's own disk from its last session on this version (it boots with its changes),
    // else a new clone of the version. This session holds a kept disk before it moves and after, so a failing step or a
    // crash leaves it kept with the ended session (reconcile finds it wherever the crash left it): never thrown away.
    private async Task<string> PrepareDiskAsync(Session session, Machine machine, ImageVersion version, Stack<Func<Task>> undo, CancellationToken cancellationToken)
    {
        var disk = disks.PathFor(session.Id);
        if (machine.Persistent && await KeptDiskOfAsync(session) is { KeptDiskPath: { } keptPath } kept)
        {
            session.TakeOverKeptDisk(kept);
            await sessions.SaveKeptDisksAsync([session, kept], cancellationToken);
            await disks.ReuseAsync(keptPath, disk, cancellationToken);
            session.KeepDisk(disk);
            await sessions.SaveKeptDisksAsync([session], cancellationToken);
            undo.Push(() => disks.ReleaseAsync(disk, CancellationToken.None));
            return disk;
        }
        try
        {
            await disks.CloneAsync(new DiskFile(version.Path, version.Format), disk, cancellationToken, new CopyProgress(session, progress, notifier));
        }
        catch (StorageFullException full)
        {
            throw new IOException(DiskFull(full, version.SizeBytes), full);
        }
        finally
        {
            progress.Done(session.Id);
        }
        undo.Push(() => disks.DeleteAsync(disk, CancellationToken.None));
        return disk;
    }

    // The target with new CHAP credentials (and an install's ISO beside the disk), attached to the session.
    private async Task<ChapCredentials?> CreateTargetAsync(Session session, Machine machine, string disk, Stack<Func<Task>> undo, CancellationToken cancellationToken)
    {
        var target = network.Naming.TargetForSession(session.Id);
        var credentials = await chap.ForNewTargetAsync(machine, session.Type, cancellationToken);
        await iscsi.CreateTargetAsync(new IscsiTargetSpec(target, disk, network.Naming.InitiatorFor(machine), credentials, machine.IpAddress,
            InstallMedia.PathOf(importFolder, session.InstallMedium)), cancellationToken);
        undo.Push(() => iscsi.DeleteTargetAsync(target, CancellationToken.None));
        session.AttachTarget(new Target(target, disk, iscsi.Kind, iscsi.DiskLun, credentials?.User, credentials?.IsMutual ?? false));
        return credentials;
    }

    // The machine's TFTP copy of its script (without secrets); undone, it is the script of a machine without a session.
    private async Task WriteScriptAsync(Session session, Machine machine, string imageLabel, ChapCredentials? credentials, Stack<Func<Task>> undo,
        CancellationToken cancellationToken)
    {
        var scriptPath = BootScriptComposer.TftpPathOf(machine);
        var active = new ActiveTarget(session.Id, imageLabel, session.Target!.Iqn, iscsi.DiskLun, credentials?.User, credentials?.IsMutual ?? false,
            InstallMedium: session.InstallMedium);
        await files.WriteAsync(scriptPath, Encoding.UTF8.GetBytes(scripts.ForTftp(machine, active)), cancellationToken);
        undo.Push(() => files.WriteAsync(scriptPath, Encoding.UTF8.GetBytes(scripts.ForTftp(machine, null)), CancellationToken.None));
    }

    // Ready, unless a stop came meanwhile: the stop wins. Its target is saved for the teardown (the stop's, waiting for
    // this job's machine lock, or this one) to remove all of it.
    private async Task<bool> SaveReadyAsync(Session session, ChapCredentials? credentials, CancellationToken cancellationToken)
    {
        var chapUsed = credentials is null ? "off" : credentials.IsMutual ? "mutual" : "one-way";
        session.MoveTo(SessionState.Ready, Now, $"target={session.Target!.Iqn} disk={session.Target.LunPath} backend={iscsi.Kind} chap={chapUsed}");
        if (await sessions.SaveReadyAsync(session, cancellationToken))
        {
            return true;
        }
        jobs.EnqueueTeardown(session.Id, session.NodeName);
        notifier.MachineChanged(session.MachineId);
        return false;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // A copy needs up to the image's size; the cloner has already removed what it wrote.
    private static string DiskFull(StorageFullException full, long neededBytes) =>
        $"the session disk directory {full.Folder} is full ({StorageFullException.Readable(full.FreeBytes)} free, up to {StorageFullException.Readable(neededBytes)} needed). "
        + "Free space there (delete unused images, old versions or kept disks) or give Storage:DiskDirectory a bigger filesystem, then start the session again.";

    private static string Id(Session session) => session.Id.ToString(CultureInfo.InvariantCulture);

    // An undo that fails must not hide the original reason; reconcile removes what is left.
    private static async Task UndoQuietlyAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception)
        {
        }
    }

    private async Task<Session?> KeptDiskOfAsync(Session session) =>
        (await sessions.ListKeptDisksAsync(CancellationToken.None))
            .Where(s => s.MachineId == session.MachineId && s.Type == SessionType.Normal && s.ImageVersionId == session.ImageVersionId)
            .OrderByDescending(s => s.Id)
            .FirstOrDefault();

    // Reported as the copy goes: the session's progress, and open screens told (they throttle).
    private sealed class CopyProgress(Session session, ProvisioningProgress progress, IStatusNotifier notifier) : IProgress<double>
    {
        public void Report(double value)
        {
            progress.Report(session.Id, value);
            notifier.MachineChanged(session.MachineId);
        }
    }
}
