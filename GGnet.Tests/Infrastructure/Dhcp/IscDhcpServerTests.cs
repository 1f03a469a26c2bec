using System.Globalization;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Dhcp.Isc;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Dhcp;

/// <summary>Against the real ISC dhcpd: every config GGnet renders passes <c>dhcpd -t</c>; a broken one never replaces a good one.</summary>
public sealed class IscDhcpServerTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly RestartCounter _restarts;
    private readonly string _configPath;
    private readonly IscDhcpServer _dhcp;
    private readonly ValidatedConfigFile _configFile;

    public IscDhcpServerTests()
    {
        _restarts = new RestartCounter(_directory.Path);
        _configPath = Path.Combine(_directory.Path, "dhcpd.conf");
        var commands = new ExternalCommand(NullLogger<ExternalCommand>.Instance);
        _configFile = new ValidatedConfigFile(new LocalConfigInstaller(commands, Options.Create(new DhcpOptions { ConfigPath = _configPath })), commands);
        _dhcp = new IscDhcpServer(_configFile, Options.Create(new DhcpOptions { ConfigPath = _configPath, RestartCommand = _restarts.Command }));
    }

    [Fact]
    public async Task Apply_SmallNetwork_PassesDhcpdAndRestartsOnce()
    {
        var result = await _dhcp.ApplyAsync(BootSamples.Network(), Hosts(3), CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Applied, result.Outcome);
        Assert.Equal(1, _restarts.Count);
        Assert.Contains("host ggnet-machine-3 {", await File.ReadAllTextAsync(_configPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ThousandHosts_PassesDhcpd()
    {
        var network = new NetworkSettingsInput
        {
            ServerAddress = "10.96.0.1", Interface = "br0", Subnet = "10.96.0.0", Netmask = "255.255.240.0",
            RangeStart = "10.96.15.1", RangeEnd = "10.96.15.250", BootBaseUrl = "http://10.96.0.1:5000",
        }.Parse().Settings!;
        var hosts = Enumerable.Range(1, 1000).Select(i => new DhcpHost(
            i,
            Hostname.Parse($"hall-{i:0000}"),
            MacAddress.Parse($"52:54:01:00:{i / 256:x2}:{i % 256:x2}"),
            Ipv4Address.FromNumber(Ipv4Address.Parse("10.96.1.0").Number + (uint)i))).ToList();

        var result = await _dhcp.ApplyAsync(network, hosts, CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Applied, result.Outcome);
        Assert.Equal(1000, (await File.ReadAllLinesAsync(_configPath)).Count(l => l.StartsWith("host ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Apply_SameConfigAgain_DoesNotRestart()
    {
        await _dhcp.ApplyAsync(BootSamples.Network(), Hosts(3), CancellationToken.None);

        var again = await _dhcp.ApplyAsync(BootSamples.Network(), Hosts(3), CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Unchanged, again.Outcome);
        Assert.Equal(1, _restarts.Count);
    }

    [Fact]
    public async Task Apply_BrokenConfig_IsRejectedAndThePreviousFileStays()
    {
        await _dhcp.ApplyAsync(BootSamples.Network(), Hosts(2), CancellationToken.None);
        var good = await File.ReadAllTextAsync(_configPath);

        // Only lines GGnet writes, but a range outside its subnet: dhcpd's own check refuses it.
        var result = await _configFile.ApplyAsync(DhcpDaemon.Dhcpd, good + "\nsubnet 10.97.0.0 netmask 255.255.255.0 {\n  range 10.98.0.5 10.98.0.9;\n}\n",
            _restarts.Command, CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Rejected, result.Outcome);
        Assert.Contains("previous one stays", result.Message, StringComparison.Ordinal);
        Assert.Contains("bad range, address 10.98.0.5 not in subnet", result.Message, StringComparison.Ordinal);
        Assert.Equal(good, await File.ReadAllTextAsync(_configPath));
        Assert.Equal(1, _restarts.Count);
        Assert.Single(Directory.GetFiles(_directory.Path, "dhcpd.conf*"));
    }

    [Theory]
    [InlineData("on commit {\n  execute(\"/tmp/run-as-root\");\n}")]
    [InlineData("include \"/etc/shadow\";")]
    [InlineData("host ggnet-machine-9 {\n  hardware ethernet 52:54:00:00:00:09;\n  option host-name \"pc\";\n  filename \"/etc/shadow\";\n}")]
    public async Task Apply_ALineGGnetNeverWrites_IsRefused_AndThePreviousFileStays(string injected)
    {
        await _dhcp.ApplyAsync(BootSamples.Network(), Hosts(2), CancellationToken.None);
        var good = await File.ReadAllTextAsync(_configPath);

        var result = await _configFile.ApplyAsync(DhcpDaemon.Dhcpd, good + "\n" + injected + "\n", _restarts.Command, CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Rejected, result.Outcome);
        Assert.Contains("is not one GGnet writes", result.Message, StringComparison.Ordinal);
        Assert.Equal(good, await File.ReadAllTextAsync(_configPath));
        Assert.Equal(1, _restarts.Count);
    }

    [Fact]
    public async Task Apply_FailingRestartCommand_SaysSo()
    {
        var dhcp = new IscDhcpServer(_configFile, Options.Create(new DhcpOptions { ConfigPath = _configPath, RestartCommand = "/bin/false" }));

        var result = await dhcp.ApplyAsync(BootSamples.Network(), Hosts(1), CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.RestartFailed, result.Outcome);
        Assert.Contains("'/bin/false' failed", result.Message, StringComparison.Ordinal);
    }

    private static List<DhcpHost> Hosts(int count) =>
        Enumerable.Range(1, count).Select(i => new DhcpHost(i, Hostname.Parse($"pc-{i:00}"), MacAddress.Parse($"52:54:00:00:00:{i:x2}"),
            i % 2 == 0 ? null : Ipv4Address.Parse(string.Create(CultureInfo.InvariantCulture, $"10.99.0.{10 + i}")),
            i % 3 == 0 ? ScriptTransport.Tftp : ScriptTransport.Http)).ToList();

    public void Dispose() => _directory.Dispose();
}
