using System.Collections.Concurrent;
using System.Text;
using GGnet.Core.Boot;
using GGnet.Core.Common;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// The job behind a stop, or a bulk stop's sessions together: the machine's script first (so a reboot no longer
/// attaches), then the target, then the disk. Pieces already gone are fine; the session ends Stopped. Retried by the job
/// system on errors. A batch's Stopped saves, and its PCs seen Offline, are gathered into few commits
/// (<see cref="GroupCommit{TItem,TResult}"/>).
/// </summary>
public sealed class TeardownSession(
    ISessionRepository sessions,
    IMachineRepository machines,
    IClusterLocks locks,
    IDiskCloner disks,
    IIscsiBackend iscsi,
    BootScriptComposer scripts,
    IBootNetwork network,
    IBootFileStore files,
    IBootRepository boot,
    IBootSyncTrigger bootSync,
    Telemetry.GGnetMetrics metrics,
    TimeProvider clock)
{
    /// <summary>
    /// Sessions of a batch torn down at once. A worker mostly waits (on tgtd's answers, on the file system's journal as it
    /// replaces the PC's script): 16 end a stop storm sooner than 8, and 32 no sooner (docs/benchmarks.md, the storm scenario).
    /// </summary>
    public const int AtOnce = 16;

    // A provisioning by full copy of a large image can hold the machine for minutes.
    private static readonly TimeSpan MachineLockWait = TimeSpan.FromMinutes(10);

    /// <summary>One session's teardown; what fails throws, for the job's retries.</summary>
    public Task ExecuteAsync(int sessionId, CancellationToken cancellationToken) => ExecuteManyAsync([sessionId], null, cancellationToken);

    /// <summary>
    /// Many sessions' teardowns, several at once; a session whose teardown fails is handed to <paramref name="failed"/>
    /// (the others go on), or, without it, its error is thrown.
    /// </summary>
    public async Task ExecuteManyAsync(IReadOnlyList<int> sessionIds, Action<int, Exception>? failed, CancellationToken cancellationToken)
    {
        var stopping = (await sessions.FindManyAsync(sessionIds, cancellationToken)).Where(s => s.State == SessionState.Stopping).ToList();
        if (stopping.Count == 0)
        {
            return;
        }
        var machinesStopping = (await machines.FindManyAsync([.. stopping.Select(s => s.MachineId).Distinct()], cancellationToken)).ToDictionary(m => m.Id);
        // The PCs seen Offline first, so that the Stopped sessions' news finds them so.
        var stopped = new GroupCommit<Stopped, bool>(async batch =>
        {
            await boot.RecordObservationsAsync([.. batch.Select(s => s.Offline).OfType<BootObservation>()], cancellationToken);
            await sessions.SaveAsync([.. batch.Select(s => s.Session)], cancellationToken);
            return [.. batch.Select(_ => true)];
        });
        var finishing = new ConcurrentBag<Task>();
        await Parallel.ForEachAsync(stopping, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken }, async (read, token) =>
        {
            IAsyncDisposable? held = null;
            try
            {
                var machine = machinesStopping.GetValueOrDefault(read.MachineId)
                    ?? throw new InvalidOperationException($"There is no machine with id {read.MachineId}; it may have been deleted.");
                held = await LockAsync(machine, read, token);
                // Read again under the machine's lock: a provisioning that held it may have changed the session.
                if (await sessions.FindAsync(read.Id, token) is { State: SessionState.Stopping } session)
                {
                    var stopRequestedAt = session.UpdatedAt;
                    var offline = await RemoveAsync(session, machine, token);
                    // Not waited for: the next session's teardown starts while this save gathers with the others. The
                    // machine's lock goes with it, so a start of the same PC comes after the save.
                    finishing.Add(FinishAsync(session, stopRequestedAt, stopped.SaveAsync(new Stopped(session, offline)), held, failed));
                    held = null;
                }
            }
            catch (Exception problem) when (failed is not null && problem is not OperationCanceledException)
            {
                failed(read.Id, problem);
            }
            finally
            {
                if (held is not null)
                {
                    await held.DisposeAsync();
                }
            }
        });
        await Task.WhenAll(finishing);
    }

    private async Task<IAsyncDisposable> LockAsync(Machine machine, Session session, CancellationToken cancellationToken)
    {
        try
        {
            return await locks.AcquireAsync(ClusterLockNames.Machine(machine.Id), MachineLockWait, cancellationToken);
        }
        catch (TimeoutException problem)
        {
            throw new TimeoutException(
                $"The stop of {machine.Name}'s session {session.Id} waited {MachineLockWait.TotalMinutes:0} minutes for the PC's start to finish; " +
                "GGnet tries the stop again. If it stays Stopping, look for a start of this PC that does not end (Jobs).", problem);
        }
    }

    private async Task FinishAsync(Session session, DateTime stopRequestedAt, Task<bool> saved, IAsyncDisposable held, Action<int, Exception>? failed)
    {
        await using var release = held;
        try
        {
            await saved;
            metrics.SessionStopped(session.UpdatedAt - stopRequestedAt);
            bootSync.Request();
        }
        catch (Exception problem) when (failed is not null)
        {
            failed(session.Id, problem);
        }
    }

    // A session torn down, to be saved Stopped; its PC seen Offline when it was still running the session.
    private sealed record Stopped(Session Session, BootObservation? Offline);

    // Script, target, copies and disk (kept for a maintenance session or a persistent PC); the session moved to Stopped,
    // and the PC Offline if it was not idle.
    private async Task<BootObservation?> RemoveAsync(Session session, Machine machine, CancellationToken cancellationToken)
    {
        if (network.Settings is not null)
        {
            await files.WriteAsync(TftpScriptPath.Of(machine.MacAddress), Encoding.UTF8.GetBytes(scripts.ForTftp(machine, null)), cancellationToken);
        }
        var disk = session.Target?.LunPath ?? disks.PathFor(session.Id);
        if (session.Target is { } target)
        {
            await iscsi.DeleteTargetAsync(target.Iqn, cancellationToken);
        }
        // The copies beside the session's own disk (data disks, or the system a data image's maintenance booted): never kept.
        foreach (var dataDisk in SessionDisks.DataPathsOf(disks, session))
        {
            await disks.DeleteAsync(dataDisk, cancellationToken);
        }
        // A maintenance session's disk is the image's possible next version: kept until committed or discarded.
        // A persistent PC's disk is kept for its next session.
        if ((session.Type == SessionType.Maintenance || machine.Persistent) && await disks.ExistsAsync(disk, cancellationToken))
        {
            await disks.ReleaseAsync(disk, cancellationToken);
            session.KeepDisk(disk);
        }
        else
        {
            await disks.DeleteAsync(disk, cancellationToken);
            session.ReleaseKeptDisk();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        session.MoveTo(SessionState.Stopped, now);
        // Its disk is gone: whatever the PC still runs is not a session any more.
        return machine.BootStage is BootStage.Idle or BootStage.Offline ? null : new BootObservation(machine.Id, BootStage.Offline,
            new BootEvent(machine.Id, machine.MacAddress, BootEventKind.DiskDetached, null, now, $"session {session.Id} ended"), now);
    }
}
