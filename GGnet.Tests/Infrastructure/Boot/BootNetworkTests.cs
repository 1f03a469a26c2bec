using GGnet.Core.Boot;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Boot;

/// <summary>The boot network in force and the one saved in network.json for the next start.</summary>
public sealed class BootNetworkTests
{
    private static NetworkSettingsInput Cafe() => new()
    {
        ServerAddress = "10.20.0.1", Interface = "eth1", Subnet = "10.20.0.0", Netmask = "255.255.255.0",
        RangeStart = "10.20.0.100", RangeEnd = "10.20.0.200", BootBaseUrl = "http://10.20.0.1:5000", DnsServers = ["10.20.0.1"],
    };

    [Fact]
    public async Task SavedForTheNextStart_IsInNetworkJson_ButNotInForce()
    {
        using var data = new TempDirectory();
        var network = Create(data.Path);

        await network.SaveForNextStartAsync(Cafe(), CancellationToken.None);
        var again = Create(data.Path);

        Assert.Null(network.Settings);
        Assert.Equal("10.20.0.1", network.Saved.ServerAddress);
        Assert.Equal(["10.20.0.1"], again.Saved.DnsServers);
        Assert.True(File.Exists(Path.Combine(data.Path, BootNetwork.FileName)));
    }

    [Fact]
    public async Task Saved_IsInForceAtOnce_AndKeptForTheNextStart()
    {
        using var data = new TempDirectory();
        var network = Create(data.Path);

        await network.SaveAsync(Cafe(), CancellationToken.None);

        Assert.Equal("http://10.20.0.1:5000/boot", network.Settings!.BootUrl);
        Assert.Equal("eth1", Create(data.Path).Saved.Interface);
    }

    private static BootNetwork Create(string dataDirectory) => new(
        Options.Create(new NetworkSettingsInput()), Options.Create(new BootOptions()), Options.Create(new DatabaseOptions { DataDirectory = dataDirectory }));
}
