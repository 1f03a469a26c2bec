using GGnet.Core.Domain;

namespace GGnet.Core.Boot;

/// <summary>One PC's entry in the DHCP server's configuration.</summary>
public sealed record DhcpHost(int MachineId, Hostname Name, MacAddress MacAddress, Ipv4Address? FixedAddress, ScriptTransport ScriptTransport = ScriptTransport.Http)
{
    /// <summary>dhcpd's declaration name: derived from the machine id only, never from user text.</summary>
    public string DeclarationName => "ggnet-machine-" + MachineId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
