using GGnet.Core.Ports;

namespace GGnet.Infrastructure.Notifications;

/// <summary>The in-process notifier: components subscribe to its events and refresh themselves.</summary>
public sealed class InProcessStatusNotifier : IStatusNotifier, IStatusEvents
{
    public event Action<int>? MachineUpdated;

    public event Action? DiscoveredUpdated;

    public event Action? BootPlaneUpdated;

    public event Action<int>? ImageUpdated;

    public void MachineChanged(int machineId) => MachineUpdated?.Invoke(machineId);

    public void DiscoveredChanged() => DiscoveredUpdated?.Invoke();

    public void BootPlaneChanged() => BootPlaneUpdated?.Invoke();

    public void ImageChanged(int imageId) => ImageUpdated?.Invoke(imageId);
}
