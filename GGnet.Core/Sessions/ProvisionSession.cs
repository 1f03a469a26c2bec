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
/// script, then Ready; once Ready is saved, the DHCP and TFTP sync is asked for (the steps are
/// <see cref="SessionDisks"/>, <see cref="SessionTargets"/> and <see cref="SessionScripts"/>). Re-entrant (a job run
/// twice provisions once: the first run claims the pending session); any failing step undoes the steps already done, in
/// reverse, and the session ends Failed with a sentence saying why. The database is read once for a batch and written a
/// few times for it, not a few times a session: each session is claimed (and its machine's new CHAP secrets saved) as a
/// worker takes it, and it is saved Ready when done, and the claims and saves handed in meanwhile go together
/// (<see cref="GroupCommit{TItem,TResult}"/>).
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
    /// <summary>
    /// Sessions of a batch worked at once: their clones, targets and scripts overlap; their claims and saves are gathered.
    /// A worker spends much of a session waiting (on tgtd's answers, on the file system's journal for the script), so 16
    /// keep 2 cores busier than 8 (docs/benchmarks.md, the storm scenario).
    /// </summary>
    public const int AtOnce = 16;

    // A clone by full copy of a large image can take minutes; a second job for the same machine waits that long.
    private static readonly TimeSpan MachineLockWait = TimeSpan.FromMinutes(10);

    public Task ExecuteAsync(int sessionId, CancellationToken cancellationToken) => ExecuteManyAsync([sessionId], cancellationToken);

    public async Task ExecuteManyAsync(IReadOnlyList<int> sessionIds, CancellationToken cancellationToken)
    {
        var pending = (await sessions.FindManyAsync(sessionIds, cancellationToken)).Where(s => s.State == SessionState.Pending).ToList();
        if (pending.Count == 0)
        {
            return;
        }
        var read = await ReadAsync(pending, cancellationToken);
        // One writer for the claims and the Ready saves: two would wait on each other for the database.
        var writes = new GroupCommit<Write, Session?>(batch => WriteAsync(batch, read, cancellationToken));
        var finishing = new ConcurrentBag<Task>();
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken }, async (waiting, token) =>
        {
            // Work on one machine holds its lock from the claim to the save, so that its stop's teardown comes after.
            IAsyncDisposable held;
            try
            {
                held = await locks.AcquireAsync(ClusterLockNames.Machine(waiting.MachineId), MachineLockWait, token);
            }
            catch (TimeoutException)
            {
                await GiveUpWaitingAsync(waiting, read);
                return;
            }
            var undo = new Stack<Func<Task>>();
            string? target = null;
            Session? session = null;
            try
            {
                // Claimed only now, as a worker is free for it: none waits its turn in Provisioning, where reconcile
                // would take a long wait (slow full copies ahead of it) for a provisioning stuck.
                session = await writes.SaveAsync(new Write(waiting, Claim: true));
                if (session is not null)
                {
                    notifier.MachineChanged(session.MachineId);
                    target = await PrepareAsync(session, read, undo, token);
                }
            }
            catch (Exception)
            {
                await held.DisposeAsync();
                throw;
            }
            if (session is null || target is null)
            {
                await held.DisposeAsync();
                return;
            }
            session.MoveTo(SessionState.Ready, Now, target);
            // Not waited for: the next session starts while this save gathers with the others.
            finishing.Add(FinishAsync(session, writes.SaveAsync(new Write(session, Claim: false)), undo, held));
        });
        await Task.WhenAll(finishing);
    }

    // A claim of a pending session, or a provisioned session's Ready save.
    private sealed record Write(Session Session, bool Claim);

    // The Ready saves first (they free their machines), then the claims. A claim answers with the session as claimed, a
    // Ready save with the session when it took; both with null when not. Only the run that moves a session out of Pending
    // works on it: a job enqueued twice (a restart's reconcile re-queues what may still be queued) or a retried one does
    // nothing. The claimed sessions' machines get their new CHAP secrets in the next commit, before any target is made.
    private async Task<IReadOnlyList<Session?>> WriteAsync(IReadOnlyList<Write> batch, Batch read, CancellationToken cancellationToken)
    {
        var toSave = batch.Where(w => !w.Claim).Select(w => w.Session).ToList();
        var saved = toSave.Count == 0 ? new HashSet<int>() : await sessions.SaveReadyAsync(toSave, cancellationToken);
        var toClaim = batch.Where(w => w.Claim).Select(w => w.Session.Id).ToList();
        var claimed = toClaim.Count == 0 ? [] : (await sessions.ClaimForProvisioningAsync(toClaim, Now, cancellationToken)).ToDictionary(s => s.Id);
        if (claimed.Count > 0)
        {
            await chap.RenewSecretsAsync([.. claimed.Values.Select(s => read.Machines.GetValueOrDefault(s.MachineId)).OfType<Machine>()], cancellationToken);
        }
        return [.. batch.Select(w => w.Claim ? claimed.GetValueOrDefault(w.Session.Id) : saved.Contains(w.Session.Id) ? w.Session : null)];
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
            var version = context.Versions.GetValueOrDefault(session.ImageVersionId) ?? throw new InvalidOperationException("its image version no longer exists");
            var dataVersions = session.CopiedVersionIds.Select(id => context.Versions.GetValueOrDefault(id)
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
    private async Task FinishAsync(Session session, Task<Session?> saved, Stack<Func<Task>> undo, IAsyncDisposable held)
    {
        await using var release = held;
        try
        {
            if (await saved is not null)
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
            await FailAsync(session, $"GGnet could not save the session as ready, so it took back its disk and target ({problem.Message}). " +
                "Start it again once the database answers.", undo);
        }
    }

    // The PC stayed busy all that time (its earlier session's stop not ending, say): the session fails with a sentence
    // rather than waiting on in Pending without a word. A run of this job that claimed it meanwhile keeps it.
    private async Task GiveUpWaitingAsync(Session waiting, Batch read)
    {
        var pc = read.Machines.GetValueOrDefault(waiting.MachineId)?.Name.Value ?? $"machine {waiting.MachineId}";
        waiting.Fail($"The start of {pc}'s session {waiting.Id} waited {MachineLockWait.TotalMinutes:0} minutes for the PC's earlier start or stop " +
            "to finish, and gave up. Start the session again; if it waits again, look for a job of this PC that does not end (Jobs).", Now);
        if (await sessions.SaveStateIfStillAsync(waiting, SessionState.Pending, CancellationToken.None))
        {
            notifier.MachineChanged(waiting.MachineId);
        }
    }

    private async Task FailAsync(Session session, string reason, Stack<Func<Task>> undo)
    {
        await UndoAsync(undo);
        var failed = await sessions.FindAsync(session.Id, CancellationToken.None) ?? session;
        failed.Fail(reason, Now);
        await sessions.SaveAsync(failed, null, CancellationToken.None);
    }

    // What a batch reads once: its machines, its versions and their images.
    private async Task<Batch> ReadAsync(IReadOnlyList<Session> pending, CancellationToken cancellationToken)
    {
        var read = new Batch();
        foreach (var machine in await machines.FindManyAsync([.. pending.Select(s => s.MachineId).Distinct()], cancellationToken))
        {
            read.Machines[machine.Id] = machine;
        }
        foreach (var id in pending.SelectMany(s => (IEnumerable<int>)[s.ImageVersionId, .. s.CopiedVersionIds]).Distinct())
        {
            read.Versions[id] = await images.FindVersionAsync(id, cancellationToken);
        }
        foreach (var id in read.Versions.Values.OfType<ImageVersion>().Select(v => v.ImageId).Distinct())
        {
            read.Images[id] = await images.FindAsync(id, cancellationToken);
        }
        return read;
    }

    // Filled before the sessions are worked, only read while they are.
    private sealed class Batch
    {
        public Dictionary<int, Machine> Machines { get; } = [];

        public Dictionary<int, ImageVersion?> Versions { get; } = [];

        public Dictionary<int, Image?> Images { get; } = [];
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
