using System.Text.RegularExpressions;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>
/// The lines GGnet's renderers write (DhcpdConfig, DnsmasqProxyConfig), and only those: a configuration is installed
/// for a root daemon only when every line is one of them. No <c>execute</c>, <c>on commit</c>, <c>include</c>,
/// <c>dhcp-script</c> or <c>conf-file</c> can pass, whoever wrote the text.
/// </summary>
public static class DhcpConfigCheck
{
    private const string Ip = @"(?:[0-9]{1,3}\.){3}[0-9]{1,3}";
    private const string Mac = "(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}";
    private const string HyphenMac = "(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}";
    // A boot script's address: a scheme, a host (name, IPv4 or [IPv6]) with a port, path words, then /boot/boot.ipxe.
    private const string BootUrl = @"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~\-]+)*/boot/boot\.ipxe|" +
        @"https?://\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?(?:/[A-Za-z0-9._~\-]+)*/boot/boot\.ipxe";
    private const string Header = "# Written by GGnet. Changes made here are overwritten: change the settings in GGnet instead.";

    private static readonly Regex[] Dhcpd =
    [
        Line(Regex.Escape(Header)),
        Line(""),
        Line("option space ipxe;"),
        Line("option ipxe-encap-opts code 175 = encapsulate ipxe;"),
        Line(@"option ipxe\.no-pxedhcp code 176 = unsigned integer 8;"),
        Line("option arch code 93 = unsigned integer 16;"),
        Line("authoritative;"),
        Line("ddns-update-style none;"),
        Line("ignore-client-uids true;"),
        Line("default-lease-time [0-9]{1,9};"),
        Line("max-lease-time [0-9]{1,9};"),
        Line($"subnet {Ip} netmask {Ip} {{"),
        Line($"  range {Ip} {Ip};"),
        Line($"  option routers {Ip};"),
        Line($"  option domain-name-servers {Ip}(?:, {Ip})*;"),
        Line($"  next-server {Ip};"),
        Line(@"  option ipxe\.no-pxedhcp 1;"),
        Line(@"  if exists user-class and option user-class = ""iPXE"" \{"),
        Line($@"    filename ""(?:{BootUrl})"";"),
        Line(@"  \} elsif option arch = 00:07 or option arch = 00:09 \{"),
        Line(@"    filename ""ipxe\.efi"";"),
        Line(@"  \} else \{"),
        Line(@"    filename ""undionly\.kpxe"";"),
        Line(@"  \}"),
        Line(@"\}"),
        Line(@"host ggnet-machine-[0-9]{1,10} \{"),
        Line($"  hardware ethernet {Mac};"),
        Line($"  fixed-address {Ip};"),
        Line(@"  option host-name ""[A-Za-z0-9\-]{1,63}"";"),
        Line($@"    filename ""tftp://{Ip}/machines/{HyphenMac}\.ipxe"";"),
    ];

    private static readonly Regex[] Dnsmasq =
    [
        Line(Regex.Escape(Header)),
        Line("port=0"),
        Line(@"interface=[A-Za-z0-9._\-]{1,15}"),
        Line("bind-interfaces"),
        Line("log-dhcp"),
        Line($"dhcp-range={Ip},proxy,{Ip}"),
        Line("dhcp-userclass=set:ipxe,iPXE"),
        Line("dhcp-match=set:efi64,option:client-arch,[79]"),
        Line($@"pxe-service=tag:!ipxe,x86PC,""GGnet network boot"",undionly\.kpxe,{Ip}"),
        Line($@"pxe-service=tag:!ipxe,X86-64_EFI,""GGnet network boot"",ipxe\.efi,{Ip}"),
        Line($"dhcp-boot=tag:ipxe,(?:{BootUrl})"),
        Line($@"pxe-service=tag:ipxe,(?:x86PC|X86-64_EFI),""GGnet"",(?:{BootUrl})"),
    ];

    /// <returns>null when every line is one GGnet writes; else which line is not.</returns>
    public static string? Refusal(DhcpDaemon daemon, string text)
    {
        if (text.Length > 4 << 20)
        {
            return "The configuration is larger than any GGnet writes.";
        }
        var allowed = daemon == DhcpDaemon.Dhcpd ? Dhcpd : Dnsmasq;
        var lines = text.Split('\n');
        for (var number = 0; number < lines.Length; number++)
        {
            if (number == lines.Length - 1 && lines[number].Length == 0)
            {
                break;
            }
            if (!allowed.Any(line => line.IsMatch(lines[number])))
            {
                return $"Line {number + 1} of the {daemon.ToString().ToLowerInvariant()} configuration is not one GGnet writes: {Shown(lines[number])}";
            }
        }
        return null;
    }

    private static string Shown(string line) => line.Length > 80 ? line[..80] + "…" : line;

    private static Regex Line(string pattern) => new($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}
