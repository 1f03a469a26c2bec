using System.ComponentModel.DataAnnotations;
using GGnet.Core.Domain;
using GGnet.Core.Nodes;

namespace GGnet.Infrastructure.Nodes;

/// <summary>This GGnet process as a node of the cluster. Section <c>Node</c>.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>The node's name (letters, digits and hyphens); images imported here and their sessions belong to it. Empty means this machine's host name.</summary>
    public string? Name { get; set; }

    /// <summary>The address PCs reach this node's iSCSI targets at; empty means the boot network's server address.</summary>
    public string? PortalAddress { get; set; }

    /// <summary>How often this node tells the others it is alive (seconds).</summary>
    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>A node silent this long is down: its sessions are failed with a reason (seconds; at least 3 heartbeats).</summary>
    [Range(3, 3600)]
    public int DownAfterSeconds { get; set; } = 30;

    /// <summary>Whether this node writes the TFTP files and the DHCP configuration; exactly one node of a cluster should.</summary>
    public bool BootServices { get; set; } = true;

    public string EffectiveName => string.IsNullOrWhiteSpace(Name) ? Environment.MachineName.Split('.')[0] : Name;

    /// <summary>One sentence per problem, for the start-up check.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Hostname.TryParse(EffectiveName, out _, out var error))
        {
            yield return $"Node:Name is '{EffectiveName}': {error}";
        }
        if (!string.IsNullOrWhiteSpace(PortalAddress) && !Ipv4Address.TryParse(PortalAddress, out _, out _))
        {
            yield return $"Node:PortalAddress is '{PortalAddress}', but it must be an IPv4 address such as 10.0.0.2.";
        }
        if (DownAfterSeconds < 3 * HeartbeatSeconds)
        {
            yield return $"Node:DownAfterSeconds ({DownAfterSeconds}) must be at least three heartbeats (3 × Node:HeartbeatSeconds = {3 * HeartbeatSeconds}).";
        }
    }

    public LocalNode ToLocalNode() => new(
        Hostname.Parse(EffectiveName),
        string.IsNullOrWhiteSpace(PortalAddress) ? null : Ipv4Address.Parse(PortalAddress),
        TimeSpan.FromSeconds(HeartbeatSeconds),
        TimeSpan.FromSeconds(DownAfterSeconds),
        BootServices);
}
