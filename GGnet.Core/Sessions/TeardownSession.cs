using System.Text;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// The job behind a stop: the machine's script first (so a reboot no longer attaches), then the target, then
/// the disk. Pieces already gone are fine; the session ends Stopped. Retried by the job system on errors.
/// </summary>
public sealed class TeardownSession(
    ISessionRepository sessions,
    GetMachine getMachine,
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
    public async Task ExecuteAsync(int sessionId, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(sessionId, cancellationToken);
        if (session is not { State: SessionState.Stopping })
        {
            return;
        }
        var machine = await getMachine.ExecuteAsync(session.MachineId, cancellationToken);
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
        var stopRequestedAt = session.UpdatedAt;
        session.MoveTo(SessionState.Stopped, now);
        await sessions.SaveAsync(session, null, cancellationToken);
        metrics.SessionStopped(now - stopRequestedAt);
        bootSync.Request();
    }
}
