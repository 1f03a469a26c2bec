namespace GGnet.Core.Images;

/// <summary>
/// Data disks: a session's own copies of the data images (game libraries) attached to its machine and the machine's group,
/// served by the session's target on the LUNs after the system disk, and hooked by the PC's script before it boots.
/// </summary>
public static class DataDisks
{
    /// <summary>The most data disks one session gets (the PC's firmware numbers its SAN drives 0x81 to 0x88).</summary>
    public const int MaxPerSession = 8;

    /// <summary>The LUN of data disk <paramref name="number"/> (1, 2, …): right after the system disk's, in every backend.</summary>
    public static int LunOf(int diskLun, int number) => diskLun + number;
}
