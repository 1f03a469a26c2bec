namespace GGnet.Core.Ports;

/// <summary>
/// Tells open screens that something changed (after it is saved), so they refresh without a reload. Not only screens:
/// <see cref="MachineChanged"/>, <see cref="ImageChanged"/> and <see cref="BootPlaneChanged"/> also make the boot path
/// forget the PCs' boot inputs it keeps (<c>BootInputs</c>), so a PC's next script has the new target and CHAP at once
/// rather than after the cache's age: call <see cref="MachineChanged"/> for anything that changes what a PC boots, and
/// <see cref="MachineObserved"/> only for an observation.
/// </summary>
public interface IStatusNotifier
{
    /// <summary>A machine changed in what it boots or how it is set up (its record, its session, its CHAP).</summary>
    void MachineChanged(int machineId);

    /// <summary>Only an observation of a machine's boot was saved (a stage, an event): what it boots is unchanged.</summary>
    void MachineObserved(int machineId);

    /// <summary>The list of PCs waiting for approval changed.</summary>
    void DiscoveredChanged();

    /// <summary>The boot plane (DHCP and the TFTP files) was synced: what every PC's script is made of may have changed.</summary>
    void BootPlaneChanged();

    /// <summary>An image or one of its versions changed (state, conversion progress).</summary>
    void ImageChanged(int imageId);
}
