using GGnet.Core.Boot;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp.Dnsmasq;
using GGnet.Infrastructure.Dhcp.Isc;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>Hands the DHCP work to the daemon the network's DHCP mode names.</summary>
public sealed class DhcpServer(IscDhcpServer isc, DnsmasqProxyServer dnsmasq) : IDhcpServer
{
    public Task<DhcpApplyResult> ApplyAsync(NetworkSettings network, IReadOnlyList<DhcpHost> hosts, CancellationToken cancellationToken) => network.DhcpMode switch
    {
        DhcpMode.Isc => isc.ApplyAsync(network, hosts, cancellationToken),
        DhcpMode.Proxy => dnsmasq.ApplyAsync(network, cancellationToken),
        _ => Task.FromResult(new DhcpApplyResult(DhcpApplyOutcome.NotManaged,
            $"DHCP is managed elsewhere. Set there: next-server {network.ServerAddress}; filename \"undionly.kpxe\" for BIOS and \"ipxe.efi\" for UEFI PCs; " +
            $"and for iPXE (user class \"iPXE\") filename \"{network.BootUrl}/boot.ipxe\".")),
    };
}
