using GGnet.Core.Lab;

namespace GGnet.Core.Ports;

/// <summary>Lab mode: GGnet's private network on this machine, where virtual PCs boot. Nothing of it touches real interfaces.</summary>
public interface ILab
{
    LabStatus Status { get; }
}
