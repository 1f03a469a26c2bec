namespace GGnet.Core.Domain.Nodes;

/// <summary>
/// One GGnet process that stores disks and runs jobs: its name, where its iSCSI portal answers, the folders it
/// stores images and session disks in, and when it last said it was alive. Every node writes its own row.
/// </summary>
public sealed class Node
{
    private Node()
    {
        Name = "";
        Pools = "";
        Version = "";
    }

    public Node(string name, string? portalAddress, string pools, string version, DateTime startedAt)
    {
        Name = name;
        PortalAddress = portalAddress;
        Pools = pools;
        Version = version;
        StartedAt = startedAt;
        LastSeenAt = startedAt;
    }

    public const int MaxPoolsLength = 4096;

    /// <summary>The node's name: a host name label, also its job queue's suffix.</summary>
    public string Name { get; private set; }

    /// <summary>The address PCs reach this node's iSCSI targets at; null means the boot network's server address.</summary>
    public string? PortalAddress { get; private set; }

    /// <summary>The folders this node keeps images and session disks in, one per line.</summary>
    public string Pools { get; private set; }

    public string Version { get; private set; }

    public DateTime StartedAt { get; private set; }

    public DateTime LastSeenAt { get; private set; }

    public long FreeBytes { get; private set; }

    public long CapacityBytes { get; private set; }

    /// <summary>A node is up while its heartbeats keep coming.</summary>
    public bool IsUp(DateTime now, TimeSpan downAfter) => now - LastSeenAt < downAfter;

    public void Seen(DateTime at, long freeBytes, long capacityBytes)
    {
        LastSeenAt = at;
        FreeBytes = freeBytes;
        CapacityBytes = capacityBytes;
    }

    public void Registered(string? portalAddress, string pools, string version, DateTime startedAt)
    {
        PortalAddress = portalAddress;
        Pools = pools;
        Version = version;
        StartedAt = startedAt;
        LastSeenAt = startedAt;
    }
}
