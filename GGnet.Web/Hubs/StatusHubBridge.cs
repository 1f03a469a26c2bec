using GGnet.Core.Ports;
using Microsoft.AspNetCore.SignalR;

namespace GGnet.Web.Hubs;

/// <summary>Forwards the in-process notifier's events to every client connected to <see cref="StatusHub"/>.</summary>
public sealed class StatusHubBridge(IStatusEvents events, IHubContext<StatusHub> hub) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.MachineUpdated += OnMachine;
        events.DiscoveredUpdated += OnDiscovered;
        events.BootPlaneUpdated += OnBootPlane;
        events.ImageUpdated += OnImage;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        events.MachineUpdated -= OnMachine;
        events.DiscoveredUpdated -= OnDiscovered;
        events.BootPlaneUpdated -= OnBootPlane;
        events.ImageUpdated -= OnImage;
        return Task.CompletedTask;
    }

    private void OnMachine(int machineId) => _ = hub.Clients.All.SendAsync("machineChanged", machineId);

    private void OnDiscovered() => _ = hub.Clients.All.SendAsync("discoveredChanged");

    private void OnBootPlane() => _ = hub.Clients.All.SendAsync("bootPlaneChanged");

    private void OnImage(int imageId) => _ = hub.Clients.All.SendAsync("imageChanged", imageId);
}
