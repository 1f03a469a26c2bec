using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Remembers which machines open screens were told about.</summary>
public sealed class RecordingStatusNotifier : IStatusNotifier
{
    public List<int> MachinesChanged { get; } = [];

    public void MachineChanged(int machineId) => MachinesChanged.Add(machineId);

    public void MachineObserved(int machineId)
    {
    }

    public void DiscoveredChanged()
    {
    }

    public void BootPlaneChanged()
    {
    }

    public void ImageChanged(int imageId)
    {
    }
}
