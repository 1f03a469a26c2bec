using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Bulk;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Sessions;

/// <summary>Checks that the machine may start, records the session as Pending and hands provisioning to a job. Returns at once.</summary>
public sealed class StartSession(GetMachine getMachine, ISessionRepository sessions, IImageRepository images, ISessionJobs jobs, IStoragePool storage, IStatusNotifier notifier,
    INodeRepository nodes, IImportFolder importFolder, IMachineGroupRepository groups, Nodes.LocalNode local, TimeProvider clock)
{
    public async Task<Session> ExecuteAsync(StartSessionRequest request, string actor, CancellationToken cancellationToken)
    {
        var medium = InstallMediumOf(request);
        var machine = await getMachine.ExecuteAsync(request.MachineId, cancellationToken);
        var (image, version) = await ReadyVersionAsync(request.ImageId, cancellationToken);
        if (request.Type == SessionType.Normal)
        {
            version = VersionFor(image, version, machine);
        }
        var systemCopy = await SystemCopyAsync(request, image, cancellationToken);
        if (Refusal(machine, await sessions.FindActiveAsync(machine.Id, cancellationToken)) is { } refusal)
        {
            throw new ConflictException(refusal);
        }
        if (request.Type == SessionType.Maintenance && await MaintenanceOfAsync(image.Id, cancellationToken) is { } other)
        {
            throw new ConflictException(other.KeptDiskPath is null
                ? $"Image '{image.Name}' is already being updated by maintenance session {other.Id}. Stop it, then commit or discard its changes."
                : $"Maintenance session {other.Id} of image '{image.Name}' has changes waiting. Commit or discard them on the Images page first.");
        }
        var node = NodeOf(image);
        var (dataVersions, dataRefusal) = request.Type == SessionType.Normal
            ? await new DataDiskChoice(images, groups).ForAsync(machine, node, NodeOf, cancellationToken)
            : ([], null);
        if (dataRefusal is not null)
        {
            throw new ConflictException(dataRefusal);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await CheckStorageAsync(node, image, 1, now, cancellationToken);

        var session = new Session(machine.Id, version.Id, request.Type, node, now, medium);
        session.AttachDataDisks(dataVersions);
        if (systemCopy is not null)
        {
            session.BootSystemCopy(systemCopy.Id);
        }
        await sessions.AddAsync(session, saved => Started(saved, machine, image, version, actor, now), cancellationToken);
        jobs.EnqueueProvision(session.Id, session.NodeName);
        notifier.MachineChanged(machine.Id);
        return session;
    }

    /// <summary>
    /// Opening time: normal sessions for many machines at once. The image and the storage are checked once, the sessions
    /// saved in one transaction with their audit entries and provisioned by one job. A machine that can't start gets its
    /// sentence; the others start. A refusal of the image or the storage is every machine's.
    /// </summary>
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteManyAsync(IReadOnlyList<Machine> machines, int imageId, string actor, CancellationToken cancellationToken)
    {
        var (image, version) = await ReadyVersionAsync(imageId, cancellationToken);
        if (image.IsData)
        {
            throw new ConflictException(DataImageNotBooted(image));
        }
        var node = NodeOf(image);
        var now = clock.GetUtcNow().UtcDateTime;
        var active = (await sessions.ListActiveAsync(cancellationToken)).ToDictionary(s => s.MachineId);

        var refused = new Dictionary<int, string>();
        var starting = new List<(Machine Machine, Session Session)>();
        var dataDisks = new DataDiskChoice(images, groups);
        foreach (var machine in machines)
        {
            var (dataVersions, dataRefusal) = await dataDisks.ForAsync(machine, node, NodeOf, cancellationToken);
            if ((Refusal(machine, active.GetValueOrDefault(machine.Id)) ?? dataRefusal) is { } refusal)
            {
                refused[machine.Id] = refusal;
            }
            else
            {
                var booted = VersionFor(image, version, machine);
                var session = new Session(machine.Id, booted.Id, SessionType.Normal, node, now);
                session.AttachDataDisks(dataVersions);
                starting.Add((machine, session));
            }
        }
        if (starting.Count > 0)
        {
            // Only the sessions that would start need room: a disabled or busy machine takes none.
            await CheckStorageAsync(node, image, starting.Count, now, cancellationToken);
            var names = starting.ToDictionary(s => s.Machine.Id, s => s.Machine);
            try
            {
                var versions = image.Versions.ToDictionary(v => v.Id);
                await sessions.AddAsync(starting.Select(s => s.Session).ToList(),
                    saved => Started(saved, names[saved.MachineId], image, versions.GetValueOrDefault(saved.ImageVersionId) ?? version, actor, now), cancellationToken);
            }
            catch (ConflictException)
            {
                // A machine was started meanwhile (by another admin, a schedule): each one alone, so only that one is refused.
                return await OneByOneAsync(machines, imageId, actor, cancellationToken);
            }
            jobs.EnqueueProvision(starting.Select(s => s.Session.Id).ToList(), node);
            foreach (var (machine, _) in starting)
            {
                notifier.MachineChanged(machine.Id);
            }
        }
        var sessionOf = starting.ToDictionary(s => s.Machine.Id, s => s.Session.Id);
        return machines.Select(m => refused.TryGetValue(m.Id, out var refusal)
            ? new BulkOutcome(m.Id, m.Name.Value, false, refusal)
            : new BulkOutcome(m.Id, m.Name.Value, true, "session started", sessionOf[m.Id])).ToList();
    }

    private async Task<IReadOnlyList<BulkOutcome>> OneByOneAsync(IReadOnlyList<Machine> machines, int imageId, string actor, CancellationToken cancellationToken)
    {
        var outcomes = new List<BulkOutcome>();
        foreach (var machine in machines)
        {
            try
            {
                var session = await ExecuteAsync(new StartSessionRequest(machine.Id, imageId, SessionType.Normal), actor, cancellationToken);
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, true, "session started", session.Id));
            }
            catch (Exception refused) when (refused is ConflictException or NotFoundException or InvalidInputException)
            {
                outcomes.Add(new BulkOutcome(machine.Id, machine.Name.Value, false, refused.Message));
            }
        }
        return outcomes;
    }

    // An install boots an ISO of the import folder; only a maintenance session can keep what the installer wrote.
    private string? InstallMediumOf(StartSessionRequest request)
    {
        if (request.InstallFrom is null)
        {
            return null;
        }
        if (request.Type != SessionType.Maintenance)
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["installFrom"] = ["Only a maintenance session installs from an ISO: a normal session throws away what the installer writes."],
            });
        }
        var name = InstallMedia.Validate(request.InstallFrom);
        if (!importFolder.IsInstallMedium(importFolder.ResolveImport(name)))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["installFrom"] = [$"{name} is not an ISO 9660 image (a CD/DVD image a PC can boot). Upload the installer's .iso file itself."],
            });
        }
        return name;
    }

    // Updating a data image: the PC boots a copy of a system image of the same node, the data image's disk beside it.
    private async Task<ImageVersion?> SystemCopyAsync(StartSessionRequest request, Image image, CancellationToken cancellationToken)
    {
        if (!image.IsData)
        {
            return request.BootWith is null ? null
                : throw Invalid("bootWith", "Only a maintenance session of a data image boots a system beside it; leave bootWith out.");
        }
        if (request.Type != SessionType.Maintenance || request.InstallFrom is not null)
        {
            throw new ConflictException(DataImageNotBooted(image));
        }
        if (request.BootWith is not { } systemId)
        {
            throw Invalid("bootWith", $"Choose the system image the PC boots while '{image.Name}' is updated beside it.");
        }
        var (system, version) = await ReadyVersionAsync(systemId, cancellationToken);
        if (system.IsData)
        {
            throw Invalid("bootWith", $"Image '{system.Name}' is a data image too: choose a system image for the PC to boot.");
        }
        if (NodeOf(system) != NodeOf(image))
        {
            throw new ConflictException($"Image '{system.Name}' is stored on node {NodeOf(system)}, '{image.Name}' on node {NodeOf(image)}: a session's disks all live on one node.");
        }
        return version;
    }

    private static string DataImageNotBooted(Image image) =>
        $"Image '{image.Name}' is a data image (a disk beside the system, like a game library): no PC boots it. Attach it to machines or groups "
        + "and start their sessions with a system image; to update it, start a maintenance session of it that boots a system image beside it.";

    private static InvalidInputException Invalid(string field, string sentence) => new(new Dictionary<string, string[]> { [field] = [sentence] });

    private async Task<(Image Image, ImageVersion Version)> ReadyVersionAsync(int imageId, CancellationToken cancellationToken)
    {
        var image = await images.FindAsync(imageId, cancellationToken)
            ?? throw new NotFoundException($"There is no image with id {imageId}.");
        var version = image.CurrentVersionId is { } versionId ? await images.FindVersionAsync(versionId, cancellationToken) : null;
        if (version is not { Status: ImageStatus.Ready })
        {
            throw new ConflictException($"Image '{image.Name}' has no ready version yet, so no PC can boot it.");
        }
        return (image, version);
    }

    // A PC of the canary's group boots the canary (while it is ready); every other PC the current version.
    private static ImageVersion VersionFor(Image image, ImageVersion current, Machine machine) =>
        image.VersionFor(machine.GroupId) is { } id && id != current.Id && image.Versions.FirstOrDefault(v => v.Id == id) is { Status: ImageStatus.Ready } canary
            ? canary
            : current;

    private static string? Refusal(Machine machine, Session? active) =>
        !machine.Enabled ? $"Machine '{machine.Name}' is disabled. Enable it first."
        : active is { } busy ? $"Machine '{machine.Name}' already has session {busy.Id} ({busy.State}). Stop it before starting another."
        : null;

    // The session lives where its image is stored; an image from before nodes existed is this node's.
    private string NodeOf(Image image) => image.NodeName is { Length: > 0 } stored ? stored : local.Key;

    private static AuditEvent Started(Session saved, Machine machine, Image image, ImageVersion version, string actor, DateTime now) =>
        new(now, actor, AuditActions.SessionStarted, "session", saved.Id.ToString(CultureInfo.InvariantCulture), null,
            $"machine={machine.Name} image={ImageVersion.Label(image.Name, version.Number)} type={saved.Type.ToString().ToLowerInvariant()}" +
            (saved.InstallMedium is { } medium ? $" install-from={medium}" : "") +
            (saved.DataImageVersionIds.Count > 0 ? $" data-disks={saved.DataImageVersionIds.Count}" : "") +
            (saved.SystemCopyVersionId is { } system ? $" boots-system-version={system}" : ""));

    // A full disk store would fail PCs mid-game: refuse new sessions before that, with the reason, and while the free space
    // can't hold what running sessions may still write within their quotas (SessionAdmission). Another node's store is
    // judged by what its heartbeat last reported; a node that stopped answering can't take sessions at all.
    private async Task CheckStorageAsync(string node, Image image, int newSessions, DateTime now, CancellationToken cancellationToken)
    {
        var imageName = image.Name;
        var usage = await storage.UsageAsync(cancellationToken);
        if (!local.Owns(node))
        {
            var remote = (await nodes.ListAsync(cancellationToken)).FirstOrDefault(n => n.Name == node);
            if (remote is null || !remote.IsUp(now, local.DownAfter))
            {
                throw new ConflictException($"Image '{imageName}' is stored on node {node}, " +
                    $"which is not answering{(remote is null ? "" : $" (last heard from at {remote.LastSeenAt:HH:mm:ss} UTC)")}. " +
                    $"Start GGnet on {node} again, or boot an image of another node.");
            }
            usage = usage with { Folder = $"node {node}", UsedBytes = remote.CapacityBytes - remote.FreeBytes, FreeBytes = remote.FreeBytes };
        }
        if (usage.RefusesNewSessions)
        {
            throw new ConflictException(usage.Sentence);
        }
        if (SessionAdmission.Refusal(usage, await RunningQuotasAsync(node, cancellationToken), image.SessionQuotaBytes, newSessions) is { } refusal)
        {
            throw new ConflictException(refusal);
        }
    }

    // What each running session of the node may write in all (its image's quota) and wrote so far; sessions without a quota are left out.
    private async Task<IReadOnlyList<(long QuotaBytes, long OwnBytes)>> RunningQuotasAsync(string node, CancellationToken cancellationToken)
    {
        var quotas = new QuotasByVersion(images);
        var running = new List<(long, long)>();
        foreach (var session in (await sessions.ListActiveAsync(cancellationToken)).Where(s => s.NodeName == node))
        {
            if (await quotas.OfAsync(session.ImageVersionId, cancellationToken) is { } bytes)
            {
                running.Add((bytes, session.OwnBytes ?? 0));
            }
        }
        return running;
    }

    // One update of an image at a time: a running maintenance session, or a stopped one whose disk waits.
    private async Task<Session?> MaintenanceOfAsync(int imageId, CancellationToken cancellationToken)
    {
        var candidates = (await sessions.ListActiveAsync(cancellationToken)).Concat(await sessions.ListKeptDisksAsync(cancellationToken))
            .Where(s => s.Type == SessionType.Maintenance);
        foreach (var candidate in candidates)
        {
            if ((await images.FindVersionAsync(candidate.ImageVersionId, cancellationToken))?.ImageId == imageId)
            {
                return candidate;
            }
        }
        return null;
    }
}
