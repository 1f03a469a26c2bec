using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>How GGnet drives the DHCP daemon. Section <c>Dhcp</c>.</summary>
public sealed class DhcpOptions
{
    public const string Section = "Dhcp";

    /// <summary>The dhcpd configuration file GGnet owns (the whole file, or an include of the system's).</summary>
    [Required]
    public string ConfigPath { get; set; } = "/etc/dhcp/dhcpd.conf";

    [Required]
    public string DhcpdPath { get; set; } = "/usr/sbin/dhcpd";

    /// <summary>Run after a new, validated config is in place. Split on spaces, never given to a shell.</summary>
    [Required]
    public string RestartCommand { get; set; } = "systemctl restart isc-dhcp-server";

    /// <summary>dhcpd's leases file, watched to see PCs get an address.</summary>
    [Required]
    public string LeasesPath { get; set; } = "/var/lib/dhcp/dhcpd.leases";

    /// <summary>dhcpd's pid file, to see that it runs (health); empty: not watched.</summary>
    public string PidFile { get; set; } = "/run/dhcpd.pid";

    /// <summary>dnsmasq's pid file in proxy-DHCP mode; empty: not watched.</summary>
    public string DnsmasqPidFile { get; set; } = "/run/dnsmasq/dnsmasq.pid";

    [Required]
    public string DnsmasqPath { get; set; } = "/usr/sbin/dnsmasq";

    [Required]
    public string DnsmasqConfigPath { get; set; } = "/etc/dnsmasq.d/ggnet-proxy.conf";

    [Required]
    public string DnsmasqRestartCommand { get; set; } = "systemctl restart dnsmasq";
}
