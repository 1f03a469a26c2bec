using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Sessions;

/// <summary>
/// What follows, once it is committed, from what happened to sessions (<see cref="SessionEvent"/>): open screens
/// refresh the machine, and webhook subscribers get the event it is. The session repository calls this after each
/// commit, so no use case has to remember it; the audit entries were written in the commit itself.
/// </summary>
public sealed class AfterSessionCommit(IStatusNotifier notifier, PublishWebhookEvents webhooks)
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
                await webhooks.SessionChangedAsync(happening.Session, type, cancellationToken);
            }
        }
    }
}
