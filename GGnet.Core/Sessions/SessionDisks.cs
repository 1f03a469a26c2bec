using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Sessions;

/// <summary>A session start's first step: the session's own disk, ready to be served.</summary>
public sealed class SessionDisks(ISessionRepository sessions, IDiskCloner disks, ProvisioningProgress progress, IStatusNotifier notifier)
{
    /// <summary>
    /// The persistent PC's own disk from its last session on this version (it boots with its changes), else a new clone
    /// of the version; its undo is pushed. This session holds a kept disk before it moves and after, so a failing step or
    /// a crash leaves it kept with the ended session (reconcile finds it wherever the crash left it): never thrown away.
    /// </summary>
    public async Task<string> PrepareAsync(Session session, Machine machine, ImageVersion version, Stack<Func<Task>> undo, CancellationToken cancellationToken)
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

    /// <summary>
    /// The session's throwaway copies beside its own disk (<paramref name="versions"/>, in the session's order: its data
    /// images, or the system a data image's maintenance boots), each made by the storage's strategy like its own disk and
    /// thrown away with the session; their undo is pushed.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrepareDataAsync(Session session, IReadOnlyList<ImageVersion> versions, Stack<Func<Task>> undo,
        CancellationToken cancellationToken)
    {
        var made = new List<string>();
        foreach (var (version, number) in versions.Select((version, index) => (version, index + 1)))
        {
            var disk = disks.DataPathFor(session.Id, number);
            try
            {
                await disks.CloneAsync(new DiskFile(version.Path, version.Format), disk, cancellationToken);
            }
            catch (StorageFullException full)
            {
                throw new IOException(DiskFull(full, version.SizeBytes), full);
            }
            undo.Push(() => disks.DeleteAsync(disk, CancellationToken.None));
            made.Add(disk);
        }
        return made;
    }

    /// <summary>
    /// The paths of the session's copies beside its own disk (its data disks, or the system a data image's maintenance
    /// boots), in the order of <see cref="Session.CopiedVersionIds"/> (<see cref="IDiskCloner.DataPathFor"/>).
    /// </summary>
    public static IReadOnlyList<string> DataPathsOf(IDiskCloner disks, Session session) =>
        Enumerable.Range(1, session.CopiedVersionIds.Count).Select(number => disks.DataPathFor(session.Id, number)).ToList();

    /// <summary>What a running session wrote beyond its images: its own disk's own bytes, with its copies'.</summary>
    public static async Task<long> OwnBytesAsync(IDiskCloner disks, Session session, CancellationToken cancellationToken)
    {
        long bytes = 0;
        foreach (var disk in (IEnumerable<string>)[session.Target!.LunPath, .. DataPathsOf(disks, session)])
        {
            bytes += await disks.OwnBytesAsync(disk, cancellationToken);
        }
        return bytes;
    }

    /// <summary>Makes the disk readable at its path (an overlay's export started).</summary>
    public Task ServeAsync(string disk, CancellationToken cancellationToken) => disks.ServeAsync(disk, cancellationToken);

    // A copy needs up to the image's size; the cloner has already removed what it wrote.
    private static string DiskFull(StorageFullException full, long neededBytes) =>
        $"the session disk directory {full.Folder} is full ({StorageFullException.Readable(full.FreeBytes)} free, up to {StorageFullException.Readable(neededBytes)} needed). "
        + "Free space there (delete unused images, old versions or kept disks) or give Storage:DiskDirectory a bigger filesystem, then start the session again.";

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
