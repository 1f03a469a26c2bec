using GGnet.Core.Boot;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp.Dnsmasq;
using GGnet.Infrastructure.Dhcp.Isc;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>Hands the DHCP work to the daemon the network's DHCP mode names (in lab mode, the lab's own dhcpd — while the lab is up).</summary>
public sealed class DhcpServer(IscDhcpServer isc, DnsmasqProxyServer dnsmasq, ILab lab) : IDhcpServer
{
    public Task<DhcpApplyResult> ApplyAsync(NetworkSettings network, IReadOnlyList<DhcpHost> hosts, CancellationToken cancellationToken) => network.DhcpMode switch
    {
        _ when lab.Status is { Enabled: true, Running: false } down => Task.FromResult(new DhcpApplyResult(DhcpApplyOutcome.NotManaged,
            $"The lab's dhcpd is not running because the lab network is not up: {down.Sentence}")),
        DhcpMode.Isc => isc.ApplyAsync(network, hosts, cancellationToken),
        DhcpMode.Proxy => dnsmasq.ApplyAsync(network, cancellationToken),
        _ => Task.FromResult(new DhcpApplyResult(DhcpApplyOutcome.NotManaged,
            $"DHCP is managed elsewhere. Set there: next-server {network.ServerAddress}; filename \"undionly.kpxe\" for BIOS and \"ipxe.efi\" for UEFI PCs; " +
            $"and for iPXE (user class \"iPXE\") filename \"{network.BootUrl}/boot.ipxe\".")),
    };
}
