using GGnet.Core.Boot;
using GGnet.Core.Lab;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp;
using GGnet.Tests.Support;

namespace GGnet.Tests.Infrastructure.Dhcp;

public sealed class DhcpServerTests
{
    [Fact]
    public async Task InLabMode_WhileTheLabIsDown_NothingIsRestarted_AndTheResultSaysWhy()
    {
        var lab = new FakeLab { Status = new LabStatus(true, false, "Lab mode needs root to create its private network.", 5) };
        // The daemons are never reached: with the lab down there is no dhcpd to restart.
        var server = new DhcpServer(null!, null!, lab);
        var (network, _) = new NetworkSettingsInput
        {
            ServerAddress = "10.99.0.1", Interface = "br0", Subnet = "10.99.0.0", Netmask = "255.255.255.0",
            RangeStart = "10.99.0.100", RangeEnd = "10.99.0.199", BootBaseUrl = "http://10.99.0.1",
        }.Parse();

        var result = await server.ApplyAsync(network!, [], CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.NotManaged, result.Outcome);
        Assert.Contains("Lab mode needs root", result.Message, StringComparison.Ordinal);
    }
}
