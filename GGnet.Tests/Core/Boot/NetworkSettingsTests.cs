using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Boot;

public sealed class NetworkSettingsTests
{
    [Fact]
    public void Parse_ConsistentSettings_GivesSettings()
    {
        var (settings, problems) = BootSamples.NetworkInput().Parse();

        Assert.Empty(problems);
        Assert.Equal("http://10.99.0.1:5000/boot", settings!.BootUrl);
        Assert.Equal("10.99.0.255", settings.Broadcast.Value);
    }

    public static TheoryData<Action<NetworkSettingsInput>, string> Inconsistencies => new()
    {
        { n => n.ServerAddress = "10.98.0.1", "server address 10.98.0.1 is outside the subnet" },
        { n => n.RangeStart = "10.99.0.1", "lies inside the dynamic range" },
        { n => (n.RangeStart, n.RangeEnd) = ("10.99.0.150", "10.99.0.100"), "after its end" },
        { n => n.RangeEnd = "10.99.1.20", "must lie inside the subnet" },
        { n => n.Gateway = "192.168.1.1", "gateway 192.168.1.1 is outside the subnet" },
        { n => n.Netmask = "255.0.255.0", "is not a netmask" },
        { n => n.Subnet = "10.99.0.7", "is not the start of a network" },
        { n => n.BootBaseUrl = "https://10.99.0.1", "plain http://" },
        { n => n.BootBaseUrl = "http://10.99.0.1/x?y=1", "plain http://" },
        { n => n.Interface = "br0; reboot", "Network:Interface" },
        { n => n.ServerAddress = "10.99.0", "Network:ServerAddress" },
        { n => n.WaitPollSeconds = 0, "WaitPollSeconds" },
    };

    [Theory]
    [MemberData(nameof(Inconsistencies))]
    public void Parse_InconsistentSettings_AreRefusedWithASentence(Action<NetworkSettingsInput> spoil, string expected)
    {
        var input = BootSamples.NetworkInput();
        spoil(input);

        var (settings, problems) = input.Parse();

        Assert.Null(settings);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.99.0.20", null)]
    [InlineData("10.99.0.120", "dynamic range")]
    [InlineData("10.98.0.20", "outside the boot network")]
    [InlineData("10.99.0.1", "used by the network itself")]
    [InlineData("10.99.0.255", "used by the network itself")]
    public void CheckFixedAddress_SaysWhyAnAddressCantBeFixed(string address, string? expected)
    {
        var problem = BootSamples.Network().CheckFixedAddress(Ipv4Address.Parse(address));

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }
}
