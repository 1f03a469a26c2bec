using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Sessions;

/// <summary>
/// What follows, once it is committed, from what happened to sessions (<see cref="SessionEvent"/>): open screens
/// refresh the machine, and webhook subscribers get the event it is. The session repository calls this after each
/// commit, so no use case has to remember it; the audit entries were written in the commit itself.
/// </summary>
public sealed class AfterSessionCommit(IStatusNotifier notifier, PublishWebhookEvents webhooks, IMachineRepository machines, IImageRepository images)
{
    public async Task HandleAsync(IReadOnlyList<SessionEvent> happened, CancellationToken cancellationToken)
    {
        foreach (var machineId in happened.Select(e => e.Session.MachineId).Distinct())
        {
            notifier.MachineChanged(machineId);
        }
        foreach (var happening in happened)
        {
            if (happening.WebhookType is { } type)
            {
                await webhooks.PublishAsync(type, happening.At, () => DataOfAsync(happening.Session, cancellationToken), cancellationToken);
            }
        }
    }

    // The session as it is now, with its machine's name and address and its image's label.
    private async Task<object> DataOfAsync(Session session, CancellationToken cancellationToken)
    {
        var machine = await machines.FindAsync(session.MachineId, cancellationToken);
        var version = await images.FindVersionAsync(session.ImageVersionId, cancellationToken);
        var image = version is null ? null : await images.FindAsync(version.ImageId, cancellationToken);
        return new Webhooks.SessionEventData(
            session.Id, session.Type.ToString().ToLowerInvariant(), session.State.ToString().ToLowerInvariant(), session.MachineId,
            machine?.Name.Value, machine?.MacAddress.Value, image is null ? null : ImageVersion.Label(image.Name, version!.Number),
            session.FailureReason, session.StopReason);
    }
}
