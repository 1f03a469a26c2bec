using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;

namespace GGnet.Tests.Support;

/// <summary>A boot network and machines to render scripts and configs from.</summary>
public static class BootSamples
{
    public static NetworkSettingsInput NetworkInput() => new()
    {
        ServerAddress = "10.99.0.1",
        Interface = "br0",
        Subnet = "10.99.0.0",
        Netmask = "255.255.255.0",
        Gateway = "10.99.0.254",
        DnsServers = ["10.99.0.1", "10.99.0.2"],
        RangeStart = "10.99.0.100",
        RangeEnd = "10.99.0.150",
        BootBaseUrl = "http://10.99.0.1:5000",
        DhcpMode = DhcpMode.Isc,
        WaitPollSeconds = 10,
    };

    public static NetworkSettings Network() => NetworkInput().Parse().Settings!;

    public static Machine Machine(int id, string name, string mac, string? ip = null, bool enabled = true, NoSessionAction noSession = NoSessionAction.Wait, string? description = null, ScriptTransport transport = ScriptTransport.Http)
    {
        var machine = new Machine(
            new MachineDetails(Hostname.Parse(name), MacAddress.Parse(mac), ip is null ? null : Ipv4Address.Parse(ip), description, null, Firmware.Bios, null, enabled, noSession, transport),
            new DateTime(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc));
        typeof(Machine).GetProperty(nameof(GGnet.Core.Domain.Machines.Machine.Id))!.SetValue(machine, id);
        return machine;
    }

    public static BootTarget Target(int sessionId, string imageLabel = "win11 v3", ChapCredentials? chap = null, int lun = 1) => new(
        sessionId,
        imageLabel,
        Ipv4Address.Parse("10.99.0.1"),
        Iqn.Parse($"iqn.2024-01.net.ggnet:session.{sessionId}"),
        lun,
        Iqn.Parse("iqn.2024-01.net.ggnet:initiator.525400000001"),
        chap);
}
