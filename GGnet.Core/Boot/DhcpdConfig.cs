using System.Globalization;
using System.Text;

namespace GGnet.Core.Boot;

/// <summary>
/// Renders ISC dhcpd's configuration: the boot subnet, the iPXE chain (PXE ROM → iPXE binary by
/// client architecture → GGnet's boot script over HTTP) and one host entry per enabled machine; a machine set to TFTP
/// is sent straight to its own script's TFTP file (<see cref="TftpScriptPath"/>).
/// </summary>
public static class DhcpdConfig
{
    /// <summary>A lease's length unless the PC asks for another.</summary>
    public static readonly TimeSpan DefaultLeaseTime = TimeSpan.FromHours(1);

    /// <summary>The longest lease dhcpd gives: no lease GGnet recorded is older than this and still held.</summary>
    public static readonly TimeSpan MaxLeaseTime = TimeSpan.FromHours(2);

    public const string BiosBinary = "undionly.kpxe";
    public const string UefiBinary = "ipxe.efi";

    public static string Render(NetworkSettings network, IEnumerable<DhcpHost> hosts)
    {
        var config = new StringBuilder();
        config.Append("# Written by GGnet. Changes made here are overwritten: change the settings in GGnet instead.\n");
        config.Append("option space ipxe;\n");
        config.Append("option ipxe-encap-opts code 175 = encapsulate ipxe;\n");
        config.Append("option ipxe.no-pxedhcp code 176 = unsigned integer 8;\n");
        config.Append("option arch code 93 = unsigned integer 16;\n");
        config.Append("authoritative;\n");
        config.Append("ddns-update-style none;\n");
        // One address per PC (its MAC), whoever asks on it: iPXE and the operating system it boots send different
        // client ids, and the target admits the address the PC fetched its script from.
        config.Append("ignore-client-uids true;\n");
        config.Append(CultureInfo.InvariantCulture, $"default-lease-time {DefaultLeaseTime.TotalSeconds};\n");
        config.Append(CultureInfo.InvariantCulture, $"max-lease-time {MaxLeaseTime.TotalSeconds};\n\n");

        config.Append(CultureInfo.InvariantCulture, $"subnet {network.Subnet} netmask {network.Netmask} {{\n");
        config.Append(CultureInfo.InvariantCulture, $"  range {network.RangeStart} {network.RangeEnd};\n");
        if (network.Gateway is { } gateway)
        {
            config.Append(CultureInfo.InvariantCulture, $"  option routers {gateway};\n");
        }
        if (network.DnsServers.Count > 0)
        {
            config.Append(CultureInfo.InvariantCulture, $"  option domain-name-servers {string.Join(", ", network.DnsServers)};\n");
        }
        config.Append(CultureInfo.InvariantCulture, $"  next-server {network.ServerAddress};\n");
        config.Append("  option ipxe.no-pxedhcp 1;\n");
        config.Append("  if exists user-class and option user-class = \"iPXE\" {\n");
        config.Append(CultureInfo.InvariantCulture, $"    filename {ConfigText.Quote(network.BootUrl + "/boot.ipxe")};\n");
        config.Append("  } elsif option arch = 00:07 or option arch = 00:09 {\n");
        config.Append(CultureInfo.InvariantCulture, $"    filename {ConfigText.Quote(UefiBinary)};\n");
        config.Append("  } else {\n");
        config.Append(CultureInfo.InvariantCulture, $"    filename {ConfigText.Quote(BiosBinary)};\n");
        config.Append("  }\n");
        config.Append("}\n");

        // Hosts are declared globally: dhcpd treats them as global anyway and warns when they sit inside a subnet.
        foreach (var host in hosts.OrderBy(h => h.MachineId))
        {
            config.Append(CultureInfo.InvariantCulture, $"\nhost {host.DeclarationName} {{\n");
            config.Append(CultureInfo.InvariantCulture, $"  hardware ethernet {host.MacAddress};\n");
            if (host.FixedAddress is { } fixedAddress)
            {
                config.Append(CultureInfo.InvariantCulture, $"  fixed-address {fixedAddress};\n");
            }
            config.Append(CultureInfo.InvariantCulture, $"  option host-name {ConfigText.Quote(host.Name.Value)};\n");
            if (host.ScriptTransport == ScriptTransport.Tftp)
            {
                // This PC's iPXE skips HTTP altogether and loads its own script over TFTP.
                config.Append("  if exists user-class and option user-class = \"iPXE\" {\n");
                config.Append(CultureInfo.InvariantCulture, $"    filename {ConfigText.Quote($"tftp://{network.ServerAddress}/{TftpScriptPath.Of(host.MacAddress)}")};\n");
                config.Append("  }\n");
            }
            config.Append("}\n");
        }
        return config.ToString();
    }
}
