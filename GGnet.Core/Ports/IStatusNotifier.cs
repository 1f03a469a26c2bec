namespace GGnet.Core.Ports;

/// <summary>Tells open screens that something changed (after it is saved), so they refresh without a reload.</summary>
public interface IStatusNotifier
{
    void MachineChanged(int machineId);

    void DiscoveredChanged();

    void BootPlaneChanged();

    /// <summary>An image or one of its versions changed (state, conversion progress).</summary>
    void ImageChanged(int imageId);
}
