using System.Globalization;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Sessions;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Iscsi;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// In lab mode the boot plane is the lab's: dhcpd, tftpd and tgtd run inside the lab namespace, on the lab
/// subnet, with their files under the data directory. These settings win over the boot network saved in Settings.
/// </summary>
public static class LabSettings
{
    public static IReadOnlyDictionary<string, string?> Overrides(LabOptions lab, string dataDirectory)
    {
        var paths = new LabPaths(dataDirectory);
        var prefix = lab.SubnetPrefix;
        return new Dictionary<string, string?>
        {
            ["Network:ServerAddress"] = lab.ServerAddress,
            ["Network:Interface"] = LabNetwork.Bridge,
            ["Network:Subnet"] = prefix + ".0",
            ["Network:Netmask"] = "255.255.255.0",
            ["Network:Gateway"] = "",
            ["Network:RangeStart"] = prefix + ".100",
            ["Network:RangeEnd"] = prefix + ".199",
            ["Network:BootBaseUrl"] = $"http://{lab.ServerAddress}",
            ["Network:DhcpMode"] = nameof(DhcpMode.Isc),
            ["Network:WaitPollSeconds"] = "3",
            [$"{BootOptions.Section}:{nameof(BootOptions.TftpRoot)}"] = paths.TftpRoot,
            // Every lab PC reaches GGnet's HTTP through the lab's forwarder, i.e. from one address: a per-client limit means nothing there.
            [$"{BootOptions.Section}:{nameof(BootOptions.RequestsPerMinutePerClient)}"] = "100000000",
            [$"{DhcpOptions.Section}:{nameof(DhcpOptions.ConfigPath)}"] = paths.DhcpdConfig,
            [$"{DhcpOptions.Section}:{nameof(DhcpOptions.LeasesPath)}"] = paths.DhcpdLeases,
            [$"{DhcpOptions.Section}:{nameof(DhcpOptions.RestartCommand)}"] = $"ip netns exec {lab.Namespace} /bin/sh {paths.DhcpdRestartScript}",
            [$"{IscsiOptions.Section}:{nameof(IscsiOptions.Backend)}"] = nameof(IscsiBackendKind.Tgt),
            [$"{IscsiOptions.Section}:{nameof(IscsiOptions.RunOwnTgtd)}"] = "true",
            [$"{IscsiOptions.Section}:{nameof(IscsiOptions.NetworkNamespace)}"] = lab.Namespace,
            [$"{IscsiOptions.Section}:{nameof(IscsiOptions.PortalAddress)}"] = lab.ServerAddress,
            [$"{IscsiOptions.Section}:{nameof(IscsiOptions.TgtControlPort)}"] = lab.TgtControlPort.ToString(CultureInfo.InvariantCulture),
            [$"{IscsiOptions.Section}:{nameof(IscsiOptions.TgtIpcSocket)}"] = paths.TgtIpcSocket,
        };
    }
}
