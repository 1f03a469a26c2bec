using System.Globalization;

namespace GGnet.Infrastructure.Lab;

/// <summary>Where the lab keeps its files: the <c>lab</c> folder of GGnet's data directory.</summary>
public sealed class LabPaths(string dataDirectory)
{
    public string Root { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "lab");

    public string TftpRoot => Path.Combine(Root, "tftp");

    public string DhcpdConfig => Path.Combine(Root, "dhcpd.conf");

    public string DhcpdLeases => Path.Combine(Root, "dhcpd.leases");

    public string DhcpdPidFile => Path.Combine(Root, "dhcpd.pid");

    public string DhcpdRestartScript => Path.Combine(Root, "restart-dhcpd.sh");

    /// <summary>Names the namespace GGnet created, so that only GGnet's own is ever cleared.</summary>
    public string NamespaceMarker => Path.Combine(Root, "namespace");

    public string TgtIpcSocket => Path.Combine(Root, "tgt", "tgtd.sock");

    public string Logs => Path.Combine(Root, "logs");

    public string PcFolder(int machineId) => Path.Combine(Root, "pcs", machineId.ToString(CultureInfo.InvariantCulture));
}
