using GGnet.Infrastructure.Notifications;
using Microsoft.AspNetCore.SignalR;

namespace GGnet.Web.Hubs;

/// <summary>
/// Forwards the changes made in this process to every client connected to <see cref="StatusHub"/>. With several nodes,
/// the Redis backplane carries them to the clients of the other nodes, so each change is sent once, by the node that made it.
/// </summary>
public sealed class StatusHubBridge(InProcessStatusNotifier notifier, IHubContext<StatusHub> hub) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        notifier.ChangedHere += Forward;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.ChangedHere -= Forward;
        return Task.CompletedTask;
    }

    private void Forward(StatusChange change) => _ = change.Kind switch
    {
        StatusChangeKind.Machine or StatusChangeKind.MachineObserved => hub.Clients.All.SendAsync("machineChanged", change.Id),
        StatusChangeKind.Discovered => hub.Clients.All.SendAsync("discoveredChanged"),
        StatusChangeKind.BootPlane => hub.Clients.All.SendAsync("bootPlaneChanged"),
        StatusChangeKind.Image => hub.Clients.All.SendAsync("imageChanged", change.Id),
        _ => Task.CompletedTask,
    };
}
