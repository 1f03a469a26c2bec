using GGnet.Core.Domain;

namespace GGnet.Core.Boot;

/// <summary>The boot network as written in settings: text, parsed and cross-checked by <see cref="Parse"/>.</summary>
public sealed class NetworkSettingsInput
{
    public string? ServerAddress { get; set; }

    public string? Interface { get; set; }

    public string? Subnet { get; set; }

    public string? Netmask { get; set; }

    public string? Gateway { get; set; }

    public IList<string> DnsServers { get; init; } = [];

    public string? RangeStart { get; set; }

    public string? RangeEnd { get; set; }

    /// <summary>Where PCs reach GGnet's HTTP boot endpoints, e.g. http://10.99.0.1:5000.</summary>
    public string? BootBaseUrl { get; set; }

    public DhcpMode DhcpMode { get; set; } = DhcpMode.Isc;

    public int WaitPollSeconds { get; set; } = 10;

    /// <summary>Returns the settings, or the list of sentences saying what is inconsistent.</summary>
    public (NetworkSettings? Settings, IReadOnlyList<string> Problems) Parse()
    {
        var problems = new List<string>();
        var server = Address(ServerAddress, "Network:ServerAddress", problems);
        var subnet = Address(Subnet, "Network:Subnet", problems);
        var netmask = Address(Netmask, "Network:Netmask", problems);
        var gateway = string.IsNullOrWhiteSpace(Gateway) ? null : Address(Gateway, "Network:Gateway", problems);
        var rangeStart = Address(RangeStart, "Network:RangeStart", problems);
        var rangeEnd = Address(RangeEnd, "Network:RangeEnd", problems);
        var dns = DnsServers.Select(d => Address(d, "Network:DnsServers", problems)).OfType<Ipv4Address>().ToList();
        var iface = Interface?.Trim() ?? "";
        if (iface.Length is 0 or > 15 || !iface.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problems.Add("Network:Interface must name the network interface the PCs are on, like eth0 or br0.");
        }
        if (!Uri.TryCreate(BootBaseUrl?.Trim(), UriKind.Absolute, out var bootBase) || bootBase.Scheme != Uri.UriSchemeHttp || !string.IsNullOrEmpty(bootBase.Query) || bootBase.AbsolutePath != "/")
        {
            problems.Add("Network:BootBaseUrl must be the plain http:// address where PCs reach GGnet, like http://10.99.0.1:5000 (iPXE fetches scripts from it).");
            bootBase = null;
        }
        if (WaitPollSeconds is < 2 or > 600)
        {
            problems.Add("Network:WaitPollSeconds must be between 2 and 600.");
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        if (!IsNetmask(netmask!.Number))
        {
            problems.Add($"Network:Netmask {netmask} is not a netmask (ones followed by zeros, like 255.255.255.0).");
            return (null, problems);
        }
        var settings = new NetworkSettings(server!, iface, subnet!, netmask, gateway, dns, rangeStart!, rangeEnd!, bootBase!, DhcpMode, WaitPollSeconds);
        if ((subnet!.Number & netmask.Number) != subnet.Number)
        {
            problems.Add($"Network:Subnet {subnet} is not the start of a network with netmask {netmask}.");
        }
        if (!settings.InSubnet(server!))
        {
            problems.Add($"The server address {server} is outside the subnet {subnet}/{netmask}.");
        }
        if (gateway is not null && !settings.InSubnet(gateway))
        {
            problems.Add($"The gateway {gateway} is outside the subnet {subnet}/{netmask}.");
        }
        if (!settings.InSubnet(rangeStart!) || !settings.InSubnet(rangeEnd!))
        {
            problems.Add($"The dynamic range {rangeStart}–{rangeEnd} must lie inside the subnet {subnet}/{netmask}.");
        }
        if (rangeStart!.Number > rangeEnd!.Number)
        {
            problems.Add($"The dynamic range starts at {rangeStart}, after its end {rangeEnd}.");
        }
        if (settings.InDynamicRange(server!))
        {
            problems.Add($"The server address {server} lies inside the dynamic range {rangeStart}–{rangeEnd}; move the range.");
        }
        if (gateway is not null && settings.InDynamicRange(gateway))
        {
            problems.Add($"The gateway {gateway} lies inside the dynamic range {rangeStart}–{rangeEnd}; move the range.");
        }
        return problems.Count > 0 ? (null, problems) : (settings, problems);
    }

    private static Ipv4Address? Address(string? text, string setting, List<string> problems)
    {
        if (Ipv4Address.TryParse(text, out var address, out var error))
        {
            return address;
        }
        problems.Add($"{setting}: {error}");
        return null;
    }

    private static bool IsNetmask(uint mask) => mask != 0 && (~mask & (~mask + 1)) == 0;
}
