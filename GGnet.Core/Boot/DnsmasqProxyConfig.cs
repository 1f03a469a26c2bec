using System.Globalization;
using System.Text;

namespace GGnet.Core.Boot;

/// <summary>
/// Renders a dnsmasq configuration that only answers PXE (proxyDHCP): the router keeps giving out
/// addresses, dnsmasq adds where to boot from. No DNS (port=0), no address pool of its own.
/// </summary>
public static class DnsmasqProxyConfig
{
    public static string Render(NetworkSettings network)
    {
        var server = network.ServerAddress.ToString();
        var bootScript = network.BootUrl + "/boot.ipxe";
        var config = new StringBuilder();
        config.Append("# Written by GGnet. Changes made here are overwritten: change the settings in GGnet instead.\n");
        config.Append("port=0\n");
        config.Append(CultureInfo.InvariantCulture, $"interface={network.Interface}\n");
        config.Append("bind-interfaces\n");
        config.Append("log-dhcp\n");
        config.Append(CultureInfo.InvariantCulture, $"dhcp-range={network.Subnet},proxy,{network.Netmask}\n");
        config.Append("dhcp-userclass=set:ipxe,iPXE\n");
        config.Append("dhcp-match=set:efi64,option:client-arch,7\n");
        config.Append("dhcp-match=set:efi64,option:client-arch,9\n");
        // PXE ROMs get the iPXE binary for their firmware over TFTP; iPXE itself gets GGnet's boot script over HTTP.
        config.Append(CultureInfo.InvariantCulture, $"pxe-service=tag:!ipxe,x86PC,\"GGnet network boot\",undionly.kpxe,{server}\n");
        config.Append(CultureInfo.InvariantCulture, $"pxe-service=tag:!ipxe,X86-64_EFI,\"GGnet network boot\",ipxe.efi,{server}\n");
        config.Append(CultureInfo.InvariantCulture, $"dhcp-boot=tag:ipxe,{bootScript}\n");
        config.Append(CultureInfo.InvariantCulture, $"pxe-service=tag:ipxe,x86PC,\"GGnet\",{bootScript}\n");
        config.Append(CultureInfo.InvariantCulture, $"pxe-service=tag:ipxe,X86-64_EFI,\"GGnet\",{bootScript}\n");
        return config.ToString();
    }
}
