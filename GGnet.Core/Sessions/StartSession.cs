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
public sealed class StartSession(GetMachine getMachine, ISessionRepository sessions, ISessionJobs jobs, IStoragePool storage, IStatusNotifier notifier, TimeProvider clock)
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
        // A full disk store would fail PCs mid-game: refuse new sessions before that, with the reason.
        if (await storage.UsageAsync(cancellationToken) is { RefusesNewSessions: true } full)
        {
            throw new ConflictException(full.Sentence);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var session = new Session(machine.Id, version.Id, request.Type, now);
        await sessions.AddAsync(
            session,
            saved => new AuditEvent(now, actor, AuditActions.SessionStarted, "session", saved.Id.ToString(CultureInfo.InvariantCulture), null,
                $"machine={machine.Name} image={image.Name} v{version.Number} type={request.Type.ToString().ToLowerInvariant()}"),
            cancellationToken);
        jobs.EnqueueProvision(session.Id);
        notifier.MachineChanged(machine.Id);
        return session;
    }
}
