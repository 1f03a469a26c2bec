using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>Checks that the machine may start, records the session as Pending and hands provisioning to a job. Returns at once.</summary>
public sealed class StartSession(GetMachine getMachine, ISessionRepository sessions, ISessionJobs jobs, IStoragePool storage, IStatusNotifier notifier,
    INodeRepository nodes, Nodes.LocalNode local, TimeProvider clock)
{
    public async Task<Session> ExecuteAsync(StartSessionRequest request, string actor, CancellationToken cancellationToken)
    {
        var machine = await getMachine.ExecuteAsync(request.MachineId, cancellationToken);
        if (!machine.Enabled)
        {
            throw new ConflictException($"Machine '{machine.Name}' is disabled. Enable it first.");
        }
        var image = await sessions.FindImageAsync(request.ImageId, cancellationToken)
            ?? throw new NotFoundException($"There is no image with id {request.ImageId}.");
        var version = image.CurrentVersionId is { } versionId ? await sessions.FindImageVersionAsync(versionId, cancellationToken) : null;
        if (version is not { Status: ImageStatus.Ready })
        {
            throw new ConflictException($"Image '{image.Name}' has no ready version yet, so no PC can boot it.");
        }
        if (await sessions.FindActiveAsync(machine.Id, cancellationToken) is { } busy)
        {
            throw new ConflictException($"Machine '{machine.Name}' already has session {busy.Id} ({busy.State}). Stop it before starting another.");
        }
        if (request.Type == SessionType.Maintenance && await MaintenanceOfAsync(image.Id, cancellationToken) is { } other)
        {
            throw new ConflictException(other.KeptDiskPath is null
                ? $"Image '{image.Name}' is already being updated by maintenance session {other.Id}. Stop it, then commit or discard its changes."
                : $"Maintenance session {other.Id} of image '{image.Name}' has changes waiting. Commit or discard them on the Images page first.");
        }
        // The session lives where its image is stored; an image from before nodes existed is this node's.
        var node = image.NodeName is { Length: > 0 } stored ? stored : local.Key;
        var now = clock.GetUtcNow().UtcDateTime;
        await CheckStorageAsync(node, image.Name, now, cancellationToken);

        var session = new Session(machine.Id, version.Id, request.Type, node, now);
        await sessions.AddAsync(
            session,
            saved => new AuditEvent(now, actor, AuditActions.SessionStarted, "session", saved.Id.ToString(CultureInfo.InvariantCulture), null,
                $"machine={machine.Name} image={image.Name} v{version.Number} type={request.Type.ToString().ToLowerInvariant()}"),
            cancellationToken);
        jobs.EnqueueProvision(session.Id, session.NodeName);
        notifier.MachineChanged(machine.Id);
        return session;
    }

    // A full disk store would fail PCs mid-game: refuse new sessions before that, with the reason. Another node's store is
    // judged by what its heartbeat last reported; a node that stopped answering can't take sessions at all.
    private async Task CheckStorageAsync(string node, string imageName, DateTime now, CancellationToken cancellationToken)
    {
        var usage = await storage.UsageAsync(cancellationToken);
        if (!local.Owns(node))
        {
            var remote = (await nodes.ListAsync(cancellationToken)).FirstOrDefault(n => n.Name == node);
            if (remote is null || !remote.IsUp(now, local.DownAfter))
            {
                throw new ConflictException($"Image '{imageName}' is stored on node {node}, which is not answering{(remote is null ? "" : $" (last heard from at {remote.LastSeenAt:HH:mm:ss} UTC)")}. Start GGnet on {node} again, or boot an image of another node.");
            }
            usage = usage with { Folder = $"node {node}", UsedBytes = remote.CapacityBytes - remote.FreeBytes, FreeBytes = remote.FreeBytes };
        }
        if (usage.RefusesNewSessions)
        {
            throw new ConflictException(usage.Sentence);
        }
    }

    // One update of an image at a time: a running maintenance session, or a stopped one whose disk waits.
    private async Task<Session?> MaintenanceOfAsync(int imageId, CancellationToken cancellationToken)
    {
        var candidates = (await sessions.ListActiveAsync(cancellationToken)).Concat(await sessions.ListKeptDisksAsync(cancellationToken))
            .Where(s => s.Type == SessionType.Maintenance);
        foreach (var candidate in candidates)
        {
            if ((await sessions.FindImageVersionAsync(candidate.ImageVersionId, cancellationToken))?.ImageId == imageId)
            {
                return candidate;
            }
        }
        return null;
    }
}
