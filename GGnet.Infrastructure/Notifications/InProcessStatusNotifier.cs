using GGnet.Core.Ports;

namespace GGnet.Infrastructure.Notifications;

/// <summary>
/// The in-process notifier: components subscribe to its events and refresh themselves. Changes made in this process
/// are also announced on <see cref="ChangedHere"/> (for the status hub and for the other nodes); changes another node
/// made come in through <see cref="Raise"/> and only refresh this node's screens.
/// </summary>
public sealed class InProcessStatusNotifier : IStatusNotifier, IStatusEvents
{
    public event Action<int>? MachineUpdated;

    public event Action? DiscoveredUpdated;

    public event Action? BootPlaneUpdated;

    public event Action<int>? ImageUpdated;

    public event Action<int?>? BootInputsChanged;

    /// <summary>A change made by this process.</summary>
    public event Action<StatusChange>? ChangedHere;

    public void MachineChanged(int machineId) => Announce(new StatusChange(StatusChangeKind.Machine, machineId));

    public void MachineObserved(int machineId) => Announce(new StatusChange(StatusChangeKind.MachineObserved, machineId));

    public void DiscoveredChanged() => Announce(new StatusChange(StatusChangeKind.Discovered));

    public void BootPlaneChanged() => Announce(new StatusChange(StatusChangeKind.BootPlane));

    public void ImageChanged(int imageId) => Announce(new StatusChange(StatusChangeKind.Image, imageId));

    /// <summary>Refreshes this node's screens for a change, wherever it was made.</summary>
    public void Raise(StatusChange change)
    {
        switch (change.Kind)
        {
            case StatusChangeKind.Machine:
                BootInputsChanged?.Invoke(change.Id);
                MachineUpdated?.Invoke(change.Id);
                break;
            case StatusChangeKind.MachineObserved:
                MachineUpdated?.Invoke(change.Id);
                break;
            case StatusChangeKind.Discovered:
                DiscoveredUpdated?.Invoke();
                break;
            case StatusChangeKind.BootPlane:
                BootInputsChanged?.Invoke(null);
                BootPlaneUpdated?.Invoke();
                break;
            case StatusChangeKind.Image:
                BootInputsChanged?.Invoke(null);
                ImageUpdated?.Invoke(change.Id);
                break;
        }
    }

    private void Announce(StatusChange change)
    {
        Raise(change);
        ChangedHere?.Invoke(change);
    }
}
