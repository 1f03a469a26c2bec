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
/// system on errors. A batch's Stopped saves are gathered into few commits (<see cref="GroupCommit{TItem,TResult}"/>).
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
    /// <summary>Sessions of a batch torn down at once.</summary>
    public const int AtOnce = 8;

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
        var stopped = new GroupCommit<Session, bool>(async batch =>
        {
            await sessions.SaveAsync(batch, cancellationToken);
            return [.. batch.Select(_ => true)];
        });
        await Parallel.ForEachAsync(stopping, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken }, async (read, token) =>
        {
            try
            {
                // Read again under the machine's lock: a provisioning that held it may have changed the session.
                await using var held = await locks.AcquireAsync(ClusterLockNames.Machine(read.MachineId), MachineLockWait, token);
                if (await sessions.FindAsync(read.Id, token) is { State: SessionState.Stopping } session)
                {
                    var machine = machinesStopping.GetValueOrDefault(session.MachineId)
                        ?? throw new InvalidOperationException($"There is no machine with id {session.MachineId}; it may have been deleted.");
                    var stopRequestedAt = session.UpdatedAt;
                    await RemoveAsync(session, machine, token);
                    await stopped.SaveAsync(session);
                    metrics.SessionStopped(session.UpdatedAt - stopRequestedAt);
                    bootSync.Request();
                }
            }
            catch (Exception problem) when (failed is not null && problem is not OperationCanceledException)
            {
                failed(read.Id, problem);
            }
        });
    }

    // Script, target, copies and disk (kept for a maintenance session or a persistent PC); the session moved to Stopped.
    private async Task RemoveAsync(Session session, Machine machine, CancellationToken cancellationToken)
    {
        if (network.Settings is not null)
        {
            await files.WriteAsync(BootScriptComposer.TftpPathOf(machine), Encoding.UTF8.GetBytes(scripts.ForTftp(machine, null)), cancellationToken);
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
        if (machine.BootStage is not (BootStage.Idle or BootStage.Offline))
        {
            // Its disk is gone: whatever the PC still runs is not a session any more.
            await boot.RecordObservationAsync(machine.Id, BootStage.Offline,
                new BootEvent(machine.Id, machine.MacAddress, BootEventKind.DiskDetached, null, now, $"session {session.Id} ended"), now, cancellationToken);
        }
        session.MoveTo(SessionState.Stopped, now);
    }
}
