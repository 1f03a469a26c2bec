using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Core.Storage;

/// <summary>
/// Measures what each running session of this node wrote beyond its images (its own disk's own bytes, with its copies'),
/// against its image's write quota: saved when it moved, a session at 80 % of its quota warned about once (audited,
/// <c>session.space-low</c>, amber on its tile), and a customer's session past its quota stopped. Run every
/// <c>Storage:SessionSpaceSeconds</c>.
/// </summary>
public sealed class MeasureSessionSpace(
    ISessionRepository sessions,
    IImageRepository images,
    IMachineRepository machines,
    IDiskCloner disks,
    IStoragePool pool,
    StopSession stop,
    IStatusNotifier notifier,
    Nodes.LocalNode node,
    TimeProvider clock)
{
    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var quotas = new QuotasByVersion(images);
        var measured = new List<Session>();
        var overQuota = new List<(Session Session, long Bytes, long Quota)>();
        foreach (var session in (await sessions.ListActiveAsync(cancellationToken)).Where(s => s.Target is not null && node.Owns(s.NodeName)))
        {
            var bytes = await SessionDisks.OwnBytesAsync(disks, session, cancellationToken);
            var quota = await quotas.OfAsync(session.ImageVersionId, cancellationToken);
            if (session.MeasureOwnBytes(bytes, quota, clock.GetUtcNow().UtcDateTime))
            {
                measured.Add(session);
            }
            if (quota is { } limit && bytes > limit && session.Type == SessionType.Normal)
            {
                overQuota.Add((session, bytes, limit));
            }
        }
        if (measured.Count > 0)
        {
            await sessions.SaveMeasuresAsync(measured, cancellationToken);
            foreach (var session in measured)
            {
                notifier.MachineChanged(session.MachineId);
            }
        }
        await StopOverQuotaAsync(overQuota, cancellationToken);
    }

    // Starts were admitted while the storage held what every running session may write within its quota: one that
    // writes on takes the room kept for the others, and a full storage fails every seat at once. A maintenance session
    // (its disk becomes the image's next version) and a persistent PC's (it keeps its disk) are only warned about; so are
    // all where disks are full copies, whose own bytes hold the images themselves, not only what the PC wrote.
    private async Task StopOverQuotaAsync(List<(Session Session, long Bytes, long Quota)> overQuota, CancellationToken cancellationToken)
    {
        if (overQuota.Count == 0 || (await pool.StrategyAsync(cancellationToken)).Strategy == CloneStrategy.Copy)
        {
            return;
        }
        var failed = new List<Exception>();
        foreach (var (session, bytes, quota) in overQuota)
        {
            try
            {
                if (await machines.FindAsync(session.MachineId, cancellationToken) is { Persistent: false })
                {
                    await stop.ExecuteAsync(session.Id, Session.SystemActor, cancellationToken, why: FormattableString.Invariant(
                        $"wrote {bytes >> 20} MiB, more than its image's write quota of {quota >> 20} MiB: stopped, so that the storage keeps room for the other PCs"));
                }
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                // The others are stopped all the same; the sampler logs what failed, and the next pass tries it again.
                failed.Add(problem);
            }
        }
        if (failed.Count > 0)
        {
            throw new AggregateException("Some sessions past their write quota could not be stopped.", failed);
        }
    }
}
