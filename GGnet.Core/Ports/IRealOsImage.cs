namespace GGnet.Core.Ports;

/// <summary>
/// The lab's real-OS image: Debian whose root filesystem lives on the iSCSI disk it boots from (BIOS and UEFI).
/// It prints a line with its host name on its console at every boot, then the value of a counter kept on its disk,
/// and increments it: a console shows what the disk remembered.
/// </summary>
public interface IRealOsImage
{
    /// <summary>Builds (from Debian packages, the first time: a minute or two) and registers the image when it is not there yet; returns its image id.</summary>
    Task<int> EnsureAsync(CancellationToken cancellationToken);
}
