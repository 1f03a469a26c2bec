namespace GGnet.Core.Ports;

/// <summary>Tells open screens that something changed (after it is saved), so they refresh without a reload.</summary>
public interface IStatusNotifier
{
    /// <summary>A machine changed in what it boots or how it is set up (its record, its session, its CHAP).</summary>
    void MachineChanged(int machineId);

    /// <summary>Only an observation of a machine's boot was saved (a stage, an event): what it boots is unchanged.</summary>
    void MachineObserved(int machineId);

    void DiscoveredChanged();

    void BootPlaneChanged();

    /// <summary>An image or one of its versions changed (state, conversion progress).</summary>
    void ImageChanged(int imageId);
}
