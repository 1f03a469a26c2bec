using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// The job behind a session start: disk clone → iSCSI target → the machine's TFTP script → DHCP, then Ready (the steps
/// are <see cref="SessionDisks"/>, <see cref="SessionTargets"/> and <see cref="SessionScripts"/>).
/// Re-entrant (a job run twice provisions once: the first run claims the pending session); any failing step undoes the
/// steps already done, in reverse, and the session ends Failed with a sentence saying why.
/// </summary>
public sealed class ProvisionSession(
    ISessionRepository sessions,
    IImageRepository images,
    GetMachine getMachine,
    SessionDisks disks,
    SessionTargets targets,
    SessionScripts scripts,
    IBootSyncTrigger bootSync,
    ISessionJobs jobs,
    IStatusNotifier notifier,
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
            var dataVersions = await DataVersionsAsync(session, cancellationToken);

            step = "clone the disk";
            var disk = await disks.PrepareAsync(session, machine, version, undo, cancellationToken);

            step = session.UpdatesDataImage ? "copy the system the PC boots" : "copy the data disks";
            var dataDisks = await disks.PrepareDataAsync(session, dataVersions, undo, cancellationToken);

            step = "serve the disk";
            foreach (var served in (IEnumerable<string>)[disk, .. dataDisks])
            {
                await disks.ServeAsync(served, cancellationToken);
            }

            step = "create the iSCSI target";
            var credentials = await targets.CreateAsync(session, machine, disk, undo, cancellationToken);

            step = "write the machine's boot script";
            await scripts.WriteAsync(session, machine, ImageVersion.Label(image?.Name ?? "", version.Number), targets.DiskLun, credentials, undo, cancellationToken);

            step = "save the session";
            if (!await SaveReadyAsync(session, targets.Describe(session, credentials), cancellationToken))
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

    // Ready, unless a stop came meanwhile: the stop wins. Its target is saved for the teardown (the stop's, waiting for
    // this job's machine lock, or this one) to remove all of it.
    private async Task<bool> SaveReadyAsync(Session session, string target, CancellationToken cancellationToken)
    {
        session.MoveTo(SessionState.Ready, Now, target);
        if (await sessions.SaveReadyAsync(session, cancellationToken))
        {
            return true;
        }
        jobs.EnqueueTeardown(session.Id, session.NodeName);
        notifier.MachineChanged(session.MachineId);
        return false;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // The versions chosen at the start to be copied beside the session's own disk, in the session's order.
    private async Task<IReadOnlyList<ImageVersion>> DataVersionsAsync(Session session, CancellationToken cancellationToken)
    {
        var versions = new List<ImageVersion>();
        foreach (var id in session.CopiedVersionIds)
        {
            versions.Add(await images.FindVersionAsync(id, cancellationToken)
                ?? throw new InvalidOperationException($"the version {id} of an image it copies beside its disk no longer exists"));
        }
        return versions;
    }

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
}
