using System.Collections.Concurrent;
using GGnet.Core.Common;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// The job behind a session start, or a bulk start's sessions together: disk clone → iSCSI target → the machine's TFTP
/// script → DHCP, then Ready (the steps are <see cref="SessionDisks"/>, <see cref="SessionTargets"/> and
/// <see cref="SessionScripts"/>). Re-entrant (a job run twice provisions once: the first run claims the pending session);
/// any failing step undoes the steps already done, in reverse, and the session ends Failed with a sentence saying why.
/// The database is written a few times for a batch, not a few times a session: a claim and a save of the new CHAP secrets
/// for each <see cref="AtOnce"/> sessions, and the Ready saves gathered (<see cref="GroupCommit{TItem,TResult}"/>).
/// </summary>
public sealed class ProvisionSession(
    ISessionRepository sessions,
    IImageRepository images,
    IMachineRepository machines,
    IClusterLocks locks,
    MachineChap chap,
    SessionDisks disks,
    SessionTargets targets,
    SessionScripts scripts,
    IBootSyncTrigger bootSync,
    IStatusNotifier notifier,
    Telemetry.GGnetMetrics metrics,
    TimeProvider clock)
{
    /// <summary>Sessions of a batch claimed and worked at once: their clones, targets and scripts overlap; their saves are gathered.</summary>
    public const int AtOnce = 8;

    // A clone by full copy of a large image can take minutes; a second job for the same machine waits that long.
    private static readonly TimeSpan MachineLockWait = TimeSpan.FromMinutes(10);

    public Task ExecuteAsync(int sessionId, CancellationToken cancellationToken) => ExecuteManyAsync([sessionId], cancellationToken);

    public async Task ExecuteManyAsync(IReadOnlyList<int> sessionIds, CancellationToken cancellationToken)
    {
        var ready = new GroupCommit<Session, bool>(async batch =>
        {
            var saved = await sessions.SaveReadyAsync(batch, cancellationToken);
            return [.. batch.Select(session => saved.Contains(session.Id))];
        });
        var finishing = new ConcurrentBag<Task>();
        var read = new Batch();
        // Claimed AtOnce at a time, each claimed session worked at once under its machine's lock: none waits its turn in
        // Provisioning, where reconcile would take a long wait (slow full copies ahead of it) for a provisioning stuck.
        foreach (var chunk in sessionIds.Chunk(AtOnce))
        {
            // Only the run that moves a session out of Pending works on it: a job enqueued twice (a restart's reconcile
            // re-queues what may still be queued) or a retried one does nothing.
            var claimed = await sessions.ClaimForProvisioningAsync(chunk, Now, cancellationToken);
            if (claimed.Count == 0)
            {
                continue;
            }
            foreach (var session in claimed)
            {
                notifier.MachineChanged(session.MachineId);
            }
            await ReadAsync(claimed, read, cancellationToken);
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken }, async (session, token) =>
            {
                // Work on one machine holds its lock from the first step to the save, so that its stop's teardown comes after.
                IAsyncDisposable held;
                try
                {
                    held = await locks.AcquireAsync(ClusterLockNames.Machine(session.MachineId), MachineLockWait, token);
                }
                catch (TimeoutException busy)
                {
                    await FailAsync(session, $"GGnet could not start it: {busy.Message}", new Stack<Func<Task>>());
                    return;
                }
                var undo = new Stack<Func<Task>>();
                string? target;
                try
                {
                    target = await PrepareAsync(session, read, undo, token);
                }
                catch (Exception)
                {
                    await held.DisposeAsync();
                    throw;
                }
                if (target is null)
                {
                    await held.DisposeAsync();
                    return;
                }
                session.MoveTo(SessionState.Ready, Now, target);
                // Not waited for: the next sessions start while this save gathers with the others.
                finishing.Add(FinishAsync(session, ready.SaveAsync(session), undo, held));
            });
        }
        await Task.WhenAll(finishing);
    }

    // The session's disk, target and script; returns what the audit says of its target, or null when a step failed (its
    // undo done, the session saved Failed).
    private async Task<string?> PrepareAsync(Session session, Batch context, Stack<Func<Task>> undo, CancellationToken cancellationToken)
    {
        var step = "prepare";
        try
        {
            var machine = context.Machines.GetValueOrDefault(session.MachineId)
                ?? throw new InvalidOperationException($"there is no machine with id {session.MachineId}; it may have been deleted");
            var version = context.VersionOf(session.ImageVersionId) ?? throw new InvalidOperationException("its image version no longer exists");
            var dataVersions = session.CopiedVersionIds.Select(id => context.VersionOf(id)
                ?? throw new InvalidOperationException($"the version {id} of an image it copies beside its disk no longer exists")).ToList();

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
            var image = context.Images.GetValueOrDefault(version.ImageId);
            await scripts.WriteAsync(session, machine, ImageVersion.Label(image?.Name ?? "", version.Number), targets.DiskLun, credentials, undo, cancellationToken);
            return targets.Describe(session, credentials);
        }
        catch (Exception problem) when (problem is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailAsync(session, $"GGnet could not {step}: {problem.Message}", undo);
            return null;
        }
    }

    // Ready, unless a stop came meanwhile: the stop wins, and this run takes back what it made (the stop's teardown,
    // waiting for the machine's lock, finds nothing left to remove).
    private async Task FinishAsync(Session session, Task<bool> saved, Stack<Func<Task>> undo, IAsyncDisposable held)
    {
        await using var release = held;
        try
        {
            if (await saved)
            {
                bootSync.Request();
                metrics.SessionStarted(Now - session.CreatedAt);
                return;
            }
            await UndoAsync(undo);
            notifier.MachineChanged(session.MachineId);
        }
        catch (Exception problem)
        {
            await FailAsync(session, $"GGnet could not save the session: {problem.Message}", undo);
        }
    }

    private async Task FailAsync(Session session, string reason, Stack<Func<Task>> undo)
    {
        await UndoAsync(undo);
        var failed = await sessions.FindAsync(session.Id, CancellationToken.None) ?? session;
        failed.Fail(reason, Now);
        await sessions.SaveAsync(failed, null, CancellationToken.None);
    }

    // What a batch reads once: its machines (with new CHAP secrets saved, only for the sessions this run claimed), its
    // versions and their images.
    private async Task ReadAsync(IReadOnlyList<Session> claimed, Batch read, CancellationToken cancellationToken)
    {
        var machinesStarting = await machines.FindManyAsync([.. claimed.Select(s => s.MachineId).Distinct()], cancellationToken);
        await chap.RenewSecretsAsync(machinesStarting, cancellationToken);
        foreach (var machine in machinesStarting)
        {
            read.Machines[machine.Id] = machine;
        }
        foreach (var id in claimed.SelectMany(s => (IEnumerable<int>)[s.ImageVersionId, .. s.CopiedVersionIds]).Distinct().Where(id => !read.Versions.ContainsKey(id)))
        {
            read.Versions[id] = await images.FindVersionAsync(id, cancellationToken);
        }
        foreach (var id in read.Versions.Values.OfType<ImageVersion>().Select(v => v.ImageId).Distinct().Where(id => !read.Images.ContainsKey(id)))
        {
            read.Images[id] = await images.FindAsync(id, cancellationToken);
        }
    }

    // Filled between the claims, only read while sessions are worked.
    private sealed class Batch
    {
        public Dictionary<int, Machine> Machines { get; } = [];

        public Dictionary<int, ImageVersion?> Versions { get; } = [];

        public Dictionary<int, Image?> Images { get; } = [];

        public ImageVersion? VersionOf(int id) => Versions.GetValueOrDefault(id);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // An undo that fails must not hide the original reason; reconcile removes what is left.
    private static async Task UndoAsync(Stack<Func<Task>> undo)
    {
        foreach (var action in undo)
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
}
