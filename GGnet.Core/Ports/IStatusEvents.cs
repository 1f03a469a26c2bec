namespace GGnet.Core.Ports;

/// <summary>What open screens subscribe to; raised after the change is saved. Handlers must be quick and thread-safe.</summary>
public interface IStatusEvents
{
    /// <summary>A machine changed or was observed booting.</summary>
    event Action<int>? MachineUpdated;

    event Action? DiscoveredUpdated;

    event Action? BootPlaneUpdated;

    event Action<int>? ImageUpdated;

    /// <summary>What PCs' boot scripts are made of may have changed: for one machine (its id), or for any (null: an image, a node, the boot plane).</summary>
    event Action<int?>? BootInputsChanged;
}
