using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Core.Storage;

/// <summary>
/// Measures what each running session of this node wrote beyond its images (its own disk's own bytes, with its copies'),
/// against its image's write quota: saved when it moved, a session at 80 % of its quota warned about once (audited,
/// <c>session.space-low</c>, amber on its tile). Run every <c>Storage:SessionSpaceSeconds</c>.
/// </summary>
public sealed class MeasureSessionSpace(ISessionRepository sessions, IImageRepository images, IDiskCloner disks, IStatusNotifier notifier, Nodes.LocalNode node,
    TimeProvider clock)
{
    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var quotas = new QuotasByVersion(images);
        var measured = new List<Domain.Sessions.Session>();
        foreach (var session in (await sessions.ListActiveAsync(cancellationToken)).Where(s => s.Target is not null && node.Owns(s.NodeName)))
        {
            var bytes = await SessionDisks.OwnBytesAsync(disks, session, cancellationToken);
            if (session.MeasureOwnBytes(bytes, await quotas.OfAsync(session.ImageVersionId, cancellationToken), clock.GetUtcNow().UtcDateTime))
            {
                measured.Add(session);
            }
        }
        if (measured.Count == 0)
        {
            return;
        }
        await sessions.SaveMeasuresAsync(measured, cancellationToken);
        foreach (var session in measured)
        {
            notifier.MachineChanged(session.MachineId);
        }
    }
}
