namespace GGnet.Core.Boot;

/// <summary>Who answers the PCs' DHCP requests.</summary>
public enum DhcpMode
{
    /// <summary>GGnet writes ISC dhcpd's configuration and owns the subnet's DHCP.</summary>
    Isc,

    /// <summary>The router keeps handing out addresses; GGnet runs dnsmasq as a proxyDHCP that only adds the boot information.</summary>
    Proxy,

    /// <summary>DHCP is managed elsewhere; GGnet shows which options to set there.</summary>
    None,
}
