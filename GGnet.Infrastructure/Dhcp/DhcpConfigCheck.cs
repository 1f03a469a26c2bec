using System.Text.RegularExpressions;
using GGnet.Core.Boot;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>
/// The lines GGnet's renderers write (DhcpdConfig, DnsmasqProxyConfig), and only those: a configuration is installed
/// for a root daemon only when every line is one of them. No <c>execute</c>, <c>on commit</c>, <c>include</c>,
/// <c>dhcp-script</c> or <c>conf-file</c> can pass, whoever wrote the text. The patterns are compiled when GGnet is built
/// (one for each daemon) and every line is bounded in length, so a check costs little memory and time: the same patterns
/// in the non-backtracking engine held about 30 MiB of GGnet's memory from the first check on.
/// </summary>
public static partial class DhcpConfigCheck
{
    private const string Ip = @"(?:[0-9]{1,3}\.){3}[0-9]{1,3}";
    private const string Mac = "(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}";
    private const string HyphenMac = "(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}";
    // A boot script's address: a scheme, a host (name, IPv4 or [IPv6]) with a port, path words, then /boot/boot.ipxe.
    private const string BootUrl = @"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~\-]+)*/boot/boot\.ipxe|" +
        @"https?://\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?(?:/[A-Za-z0-9._~\-]+)*/boot/boot\.ipxe";
    private const string Header = "# Written by GGnet. Changes made here are overwritten: change the settings in GGnet instead.";

    // Longer than any line GGnet writes (a boot address's host name is at most 253 characters); a bound on each match.
    private const int LongestLine = 1024;

    private const string DhcpdLines =
        "" +
        "|option space ipxe;" +
        "|option ipxe-encap-opts code 175 = encapsulate ipxe;" +
        @"|option ipxe\.no-pxedhcp code 176 = unsigned integer 8;" +
        "|option arch code 93 = unsigned integer 16;" +
        "|authoritative;" +
        "|ddns-update-style none;" +
        "|ignore-client-uids true;" +
        "|default-lease-time [0-9]{1,9};" +
        "|max-lease-time [0-9]{1,9};" +
        $"|subnet {Ip} netmask {Ip} {{" +
        $"|  range {Ip} {Ip};" +
        $"|  option routers {Ip};" +
        $"|  option domain-name-servers {Ip}(?:, {Ip})*;" +
        $"|  next-server {Ip};" +
        @"|  option ipxe\.no-pxedhcp 1;" +
        @"|  if exists user-class and option user-class = ""iPXE"" \{" +
        $@"|    filename ""(?:{BootUrl})"";" +
        @"|  \} elsif option arch = 00:07 or option arch = 00:09 \{" +
        @"|    filename ""ipxe\.efi"";" +
        @"|  \} else \{" +
        @"|    filename ""undionly\.kpxe"";" +
        @"|  \}" +
        @"|\}" +
        @"|host ggnet-machine-[0-9]{1,10} \{" +
        $"|  hardware ethernet {Mac};" +
        $"|  fixed-address {Ip};" +
        @"|  option host-name ""[A-Za-z0-9\-]{1,63}"";" +
        $@"|    filename ""tftp://{Ip}/{TftpScriptPath.Folder}/{HyphenMac}\.ipxe"";";

    private const string DnsmasqLines =
        "port=0" +
        @"|interface=[A-Za-z0-9._\-]{1,15}" +
        "|bind-interfaces" +
        "|log-dhcp" +
        $"|dhcp-range={Ip},proxy,{Ip}" +
        "|dhcp-userclass=set:ipxe,iPXE" +
        "|dhcp-match=set:efi64,option:client-arch,[79]" +
        $@"|pxe-service=tag:!ipxe,x86PC,""GGnet network boot"",undionly\.kpxe,{Ip}" +
        $@"|pxe-service=tag:!ipxe,X86-64_EFI,""GGnet network boot"",ipxe\.efi,{Ip}" +
        $"|dhcp-boot=tag:ipxe,(?:{BootUrl})" +
        $@"|pxe-service=tag:ipxe,(?:x86PC|X86-64_EFI),""GGnet"",(?:{BootUrl})";

    [GeneratedRegex("^(?:" + DhcpdLines + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex DhcpdLine();

    [GeneratedRegex("^(?:" + DnsmasqLines + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsmasqLine();

    /// <returns>null when every line is one GGnet writes; else which line is not.</returns>
    public static string? Refusal(DhcpDaemon daemon, string text)
    {
        if (text.Length > 4 << 20)
        {
            return "The configuration is larger than any GGnet writes.";
        }
        var allowed = daemon == DhcpDaemon.Dhcpd ? DhcpdLine() : DnsmasqLine();
        var lines = text.Split('\n');
        for (var number = 0; number < lines.Length; number++)
        {
            var line = lines[number];
            if (number == lines.Length - 1 && line.Length == 0)
            {
                break;
            }
            if (line != Header && (line.Length > LongestLine || !allowed.IsMatch(line)))
            {
                return $"Line {number + 1} of the {daemon.ToString().ToLowerInvariant()} configuration is not one GGnet writes: {Shown(line)}";
            }
        }
        return null;
    }

    private static string Shown(string line) => line.Length > 80 ? line[..80] + "…" : line;
}
