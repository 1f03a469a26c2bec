namespace GGnet.Core.Ports;

/// <summary>The lab's demo image: a small disk whose boot sector reads a banner from the disk (over iSCSI) and prints it.</summary>
public interface IDemoImage
{
    /// <summary>Builds and registers the demo image when it is not there yet; returns its image id.</summary>
    Task<int> EnsureAsync(CancellationToken cancellationToken);
}
