using GGnet.Core.Domain;

namespace GGnet.Core.Nodes;

/// <summary>
/// This process as a node: its name (a host name label), the portal its PCs reach its iSCSI targets at, and how long
/// a node may stay silent before the others count it as down, and whether it runs the boot services (TFTP files, DHCP).
/// </summary>
public sealed record LocalNode(Hostname Name, Ipv4Address? PortalAddress, TimeSpan HeartbeatEvery, TimeSpan DownAfter, bool BootServices = true)
{
    /// <summary>The name rows store: the host name in lowercase.</summary>
    public string Key => Name.Value;

    public bool Owns(string? nodeName) => string.Equals(nodeName, Key, StringComparison.Ordinal);
}
