using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Boot;
using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Nodes;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Images;

/// <summary>
/// Watches canaries: a PC of the group whose firmware reported it could not boot the canary, or attached it (once, or again and
/// again) but whose OS did not take its disk over within its usual time (twice its median over its earlier sessions, at least <see cref="LeastWait"/>; <see cref="OsTakeOverLimit"/>
/// for a PC never measured) rolls the group back to the current version at once, audited (<c>image.canary-rolled-back</c>,
/// with why) and sent as a webhook. Sessions already running keep their version until they restart. Run every few seconds
/// on the node that stores the image.
/// </summary>
public sealed class WatchCanaries(
    IImageRepository images,
    ISessionRepository sessions,
    IMachineRepository machines,
    IMachineGroupRepository groups,
    OsTakeOverLimit limit,
    LocalNode local,
    PublishWebhookEvents webhooks,
    IStatusNotifier notifier,
    TimeProvider clock)
{
    /// <summary>However fast a PC usually is, the canary waits at least this long for its OS.</summary>
    public static readonly TimeSpan LeastWait = TimeSpan.FromSeconds(60);

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var watched = (await images.ListWithCanaryAsync(cancellationToken)).Where(i => i.NodeName.Length == 0 || local.Owns(i.NodeName)).ToList();
        if (watched.Count == 0)
        {
            return;
        }
        var active = await sessions.ListActiveAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var image in watched)
        {
            foreach (var session in active.Where(s => s.ImageVersionId == image.CanaryVersionId && s is { Type: SessionType.Normal, OsFirstTookOverAt: null }))
            {
                var machine = await machines.FindAsync(session.MachineId, cancellationToken);
                if (await WhyNotBootedAsync(session, machine, image.CanaryVersionId!.Value, now, cancellationToken) is { } why)
                {
                    await RollBackAsync(image, session, machine, why, now, cancellationToken);
                    break;
                }
            }
        }
    }

    // Null while the PC may still boot the canary; else why it did not.
    private async Task<string?> WhyNotBootedAsync(Session session, Machine? machine, int canaryVersionId, DateTime now, CancellationToken cancellationToken)
    {
        if (machine is { BootStage: BootStage.AttachFailed, BootStageChangedAt: { } failedAt } && failedAt >= session.CreatedAt)
        {
            return "its firmware could not boot it (it reported an attach error)";
        }
        // Attached by its firmware (maybe again and again) and never taken over by its OS.
        if (session is not { State: SessionState.Online or SessionState.Ready, OnlineAt: { } firstAttach })
        {
            return null;
        }
        var usual = await UsualAsync(session.MachineId, canaryVersionId, cancellationToken);
        var wait = usual is { } seconds ? TimeSpan.FromSeconds(Math.Max(LeastWait.TotalSeconds, 2 * seconds)) : limit.Limit;
        var attached = now - firstAttach;
        var expected = usual is { } known ? string.Create(CultureInfo.InvariantCulture, $"it usually takes {known:0} s") : "it was never measured";
        return attached < wait ? null : $"its OS has not taken its disk over {(int)attached.TotalSeconds} s after its firmware attached it ({expected})";
    }

    // The median time from the firmware's first attach to the OS first taking over, over the PC's earlier sessions of other versions.
    private async Task<double?> UsualAsync(int machineId, int canaryVersionId, CancellationToken cancellationToken)
    {
        var earlier = await sessions.ListAsync(new SessionQuery(new PageRequest(1, 20), MachineId: machineId), cancellationToken);
        var times = earlier.Items
            .Where(s => s.MachineId == machineId && s.ImageVersionId != canaryVersionId && s is { OnlineAt: not null, OsFirstTookOverAt: not null })
            .Select(s => (s.OsFirstTookOverAt!.Value - s.OnlineAt!.Value).TotalSeconds)
            .Where(t => t is > 0 and < 3600)
            .Order().ToList();
        return times.Count == 0 ? null : times[times.Count / 2];
    }

    private async Task RollBackAsync(Image image, Session session, Machine? machine, string why, DateTime now, CancellationToken cancellationToken)
    {
        var canary = image.Versions.First(v => v.Id == image.CanaryVersionId);
        var label = ImageVersion.Label(image.Name, canary.Number);
        var current = image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId);
        var group = image.CanaryGroupId is { } groupId ? await groups.FindAsync(groupId, cancellationToken) : null;
        var sentence = $"{machine?.Name.Value ?? $"Machine {session.MachineId}"} (session {session.Id}) did not boot {label}: {why}. Group '{group?.Name ?? "?"}' " +
            $"boots v{current?.Number} again from its next sessions; PCs running the canary keep it until they restart.";
        image.EndCanary();
        await images.SaveCanaryAsync(image, new AuditEvent(now, "system", AuditActions.CanaryRolledBack, "image", image.Id.ToString(CultureInfo.InvariantCulture),
            $"canary={label}", sentence), cancellationToken);
        notifier.ImageChanged(image.Id);
        await webhooks.PublishAsync(WebhookEventTypes.CanaryRolledBack, now, () => Task.FromResult<object>(
            new CanaryEventData(image.Id, canary.Id, label, group?.Id, group?.Name, session.MachineId, session.Id, sentence)), cancellationToken);
    }
}
