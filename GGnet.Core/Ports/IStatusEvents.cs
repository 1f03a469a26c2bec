namespace GGnet.Core.Ports;

/// <summary>What open screens subscribe to; raised after the change is saved. Handlers must be quick and thread-safe.</summary>
public interface IStatusEvents
{
    event Action<int>? MachineUpdated;

    event Action? DiscoveredUpdated;

    event Action? BootPlaneUpdated;

    event Action<int>? ImageUpdated;
}
