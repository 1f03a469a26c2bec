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
        var quotas = new Dictionary<int, long?>();
        var measured = new List<Domain.Sessions.Session>();
        foreach (var session in (await sessions.ListActiveAsync(cancellationToken)).Where(s => s.Target is not null && node.Owns(s.NodeName)))
        {
            long bytes = 0;
            foreach (var disk in (IEnumerable<string>)[session.Target!.LunPath, .. SessionDisks.DataPathsOf(disks, session)])
            {
                bytes += await disks.OwnBytesAsync(disk, cancellationToken);
            }
            if (session.MeasureOwnBytes(bytes, await QuotaAsync(session.ImageVersionId, quotas, cancellationToken), clock.GetUtcNow().UtcDateTime))
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

    // The write quota of the image a version belongs to (read once a pass for all its sessions).
    private async Task<long?> QuotaAsync(int versionId, Dictionary<int, long?> quotas, CancellationToken cancellationToken)
    {
        if (!quotas.TryGetValue(versionId, out var quota))
        {
            var version = await images.FindVersionAsync(versionId, cancellationToken);
            quotas[versionId] = quota = version is null ? null : (await images.FindAsync(version.ImageId, cancellationToken))?.SessionQuotaBytes;
        }
        return quota;
    }
}
