using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Remembers which machines open screens were told about.</summary>
public sealed class RecordingStatusNotifier : IStatusNotifier
{
    public List<int> MachinesChanged { get; } = [];

    public void MachineChanged(int machineId) => MachinesChanged.Add(machineId);

    /// <summary>The machines announced as observed (a boot stage or a sighting), in order.</summary>
    public List<int> MachinesObserved { get; } = [];

    public void MachineObserved(int machineId)
    {
        lock (MachinesObserved)
        {
            MachinesObserved.Add(machineId);
        }
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
