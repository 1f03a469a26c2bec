using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Deploy;

[Collection(DeployTests.Name)]
public sealed class InstallScriptTests(InstallFixture fixture)
{
    private const string User = InstallFixture.User;

    [Fact]
    public async Task Install_LaysOutAppConfigurationDataUnitAndSudoers_WithTheirModesAndOwners()
    {
        using var folder = new TempDirectory();

        var root = await fixture.InstallAsync(folder.Path);

        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{root}/opt/ggnet/GGnet.Web.dll"));
        Assert.Equal("755 root:root", await InstallFixture.ModeAndOwner($"{root}/opt/ggnet/GGnet.Web"));
        Assert.Equal("640 root:" + User, await InstallFixture.ModeAndOwner($"{root}/etc/ggnet/appsettings.json"));
        Assert.Equal("640 root:" + User, await InstallFixture.ModeAndOwner($"{root}/etc/ggnet/ggnet.env"));
        Assert.Equal($"750 {User}:{User}", await InstallFixture.ModeAndOwner($"{root}/var/lib/ggnet"));
        Assert.Equal($"750 {User}:{User}", await InstallFixture.ModeAndOwner($"{root}/var/log/ggnet"));
        Assert.Equal($"755 {User}:{User}", await InstallFixture.ModeAndOwner($"{root}/var/lib/tftpboot"));
        Assert.Equal($"755 {User}:{User}", await InstallFixture.ModeAndOwner($"{root}/var/lib/tftpboot/machines"));
        // What root's DHCP daemons read is root's alone (written by GGnet's root helper after its check).
        Assert.Equal("755 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/dhcp/ggnet"));
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/dhcp/ggnet/dhcpd.conf"));
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/dhcp/ggnet/dnsmasq-proxy.conf"));
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/systemd/system/ggnet.service"));
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/systemd/system/ggnet-helper.service"));
        Assert.Contains($"Environment=GGNET__Helper__Group={User}", File.ReadAllLines($"{root}/etc/systemd/system/ggnet-helper.service"));
        Assert.Equal("440 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/sudoers.d/ggnet"));
        Assert.Contains("user_allow_other", File.ReadAllLines($"{root}/etc/fuse.conf"));
        Assert.Contains($"User={User}", File.ReadAllLines($"{root}/etc/systemd/system/ggnet.service"));
        // Debian's tgt service with 4 I/O threads a disk: its own ExecStart cleared, then GGnet's.
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/systemd/system/tgt.service.d/ggnet.conf"));
        Assert.Equal(["ExecStart=", "ExecStart=/usr/sbin/tgtd -f -t 4"],
            File.ReadAllLines($"{root}/etc/systemd/system/tgt.service.d/ggnet.conf").Where(line => line.StartsWith("ExecStart", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Install_WritesProductionSettings_Unprivileged()
    {
        using var folder = new TempDirectory();

        var root = await fixture.InstallAsync(folder.Path);

        using var settings = JsonDocument.Parse(await File.ReadAllTextAsync($"{root}/etc/ggnet/appsettings.json"));
        var json = settings.RootElement;
        Assert.False(json.GetProperty("Lab").GetProperty("Enabled").GetBoolean());
        Assert.False(json.TryGetProperty("Commands", out _));
        Assert.Equal("/var/lib/ggnet", json.GetProperty("Database").GetProperty("DataDirectory").GetString());
        Assert.Equal("/var/lib/tftpboot", json.GetProperty("Boot").GetProperty("TftpRoot").GetString());
        Assert.Equal("/etc/dhcp/ggnet/dhcpd.conf", json.GetProperty("Dhcp").GetProperty("ConfigPath").GetString());
        Assert.Equal("/etc/dhcp/ggnet/dnsmasq-proxy.conf", json.GetProperty("Dhcp").GetProperty("DnsmasqConfigPath").GetString());
        Assert.StartsWith("sudo -n /", json.GetProperty("Dhcp").GetProperty("RestartCommand").GetString());
        Assert.Equal("systemd", json.GetProperty("Logging").GetProperty("Console").GetProperty("FormatterName").GetString());
        Assert.Equal("/var/log/ggnet", json.GetProperty("Logs").GetProperty("Directory").GetString());
        var environment = File.ReadAllLines($"{root}/etc/ggnet/ggnet.env").Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal(["ASPNETCORE_URLS=http://0.0.0.0:80"], environment);
    }

    [Fact]
    public async Task Install_SudoersRule_PassesVisudo()
    {
        using var folder = new TempDirectory();

        var root = await fixture.InstallAsync(folder.Path);

        var check = await InstallFixture.Run("visudo", ["-cf", $"{root}/etc/sudoers.d/ggnet"], check: false);
        Assert.True(check.IsSuccess, check.StandardError + check.StandardOutput);
    }

    [Fact]
    public async Task Install_RunAgain_KeepsTheAdminsConfiguration_ReplacesAppAndUnit()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);
        const string EditedSettings = "{ \"Network\": { \"ServerAddress\": \"192.168.50.1\" } }\n";
        const string EditedEnvironment = "ASPNETCORE_URLS=http://0.0.0.0:8080\n";
        await File.WriteAllTextAsync($"{root}/etc/ggnet/appsettings.json", EditedSettings);
        await File.WriteAllTextAsync($"{root}/etc/ggnet/ggnet.env", EditedEnvironment);
        var shippedUnit = await File.ReadAllTextAsync($"{root}/etc/systemd/system/ggnet.service");
        await File.AppendAllTextAsync($"{root}/etc/systemd/system/ggnet.service", "# hand edit\n");
        await File.WriteAllTextAsync($"{root}/opt/ggnet/left-from-last-version.dll", "old");
        await File.WriteAllTextAsync($"{root}/var/lib/ggnet/ggnet.db", "data");

        await fixture.InstallAsync(root);

        Assert.Equal(EditedSettings, await File.ReadAllTextAsync($"{root}/etc/ggnet/appsettings.json"));
        Assert.Equal(EditedEnvironment, await File.ReadAllTextAsync($"{root}/etc/ggnet/ggnet.env"));
        Assert.Equal(shippedUnit, await File.ReadAllTextAsync($"{root}/etc/systemd/system/ggnet.service"));
        Assert.False(File.Exists($"{root}/opt/ggnet/left-from-last-version.dll"));
        Assert.True(File.Exists($"{root}/opt/ggnet/GGnet.Web.dll"));
        Assert.Equal("data", await File.ReadAllTextAsync($"{root}/var/lib/ggnet/ggnet.db"));
        Assert.Equal(1, File.ReadAllLines($"{root}/etc/fuse.conf").Count(l => l == "user_allow_other"));
    }

    [Fact]
    public async Task Install_OverAnOlderOne_GivesTheDhcpFilesToRoot_AndMovesTheProxyDhcpFileThere()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);
        // What an older install.sh left: the DHCP folder and file owned by the service, the proxyDHCP file in its data.
        await InstallFixture.Run("chown", ["-R", $"{User}:{User}", $"{root}/etc/dhcp/ggnet"]);
        var settings = (await File.ReadAllTextAsync($"{root}/etc/ggnet/appsettings.json"))
            .Replace("/etc/dhcp/ggnet/dnsmasq-proxy.conf", "/var/lib/ggnet/dnsmasq/ggnet-proxy.conf", StringComparison.Ordinal);
        await File.WriteAllTextAsync($"{root}/etc/ggnet/appsettings.json", settings);
        Directory.CreateDirectory($"{root}/var/lib/ggnet/dnsmasq");

        await fixture.InstallAsync(root);

        Assert.Equal("755 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/dhcp/ggnet"));
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{root}/etc/dhcp/ggnet/dhcpd.conf"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync($"{root}/etc/ggnet/appsettings.json"));
        Assert.Equal("/etc/dhcp/ggnet/dnsmasq-proxy.conf", json.RootElement.GetProperty("Dhcp").GetProperty("DnsmasqConfigPath").GetString());
        Assert.Equal("640 root:" + User, await InstallFixture.ModeAndOwner($"{root}/etc/ggnet/appsettings.json"));
        Assert.False(Directory.Exists($"{root}/var/lib/ggnet/dnsmasq"));
    }

    [Fact]
    public async Task Uninstall_RemovesAppUnitAndSudoers_KeepsDataAndConfiguration_PurgeRemovesThem()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);
        await File.WriteAllTextAsync($"{root}/var/lib/ggnet/ggnet.db", "data");

        var uninstalled = await fixture.UninstallAsync(root);

        Assert.True(uninstalled.IsSuccess, uninstalled.StandardError);
        Assert.False(Directory.Exists($"{root}/opt/ggnet"));
        Assert.False(File.Exists($"{root}/etc/systemd/system/ggnet.service"));
        Assert.False(Directory.Exists($"{root}/etc/systemd/system/tgt.service.d"));
        Assert.False(File.Exists($"{root}/etc/sudoers.d/ggnet"));
        Assert.Equal("data", await File.ReadAllTextAsync($"{root}/var/lib/ggnet/ggnet.db"));
        Assert.True(File.Exists($"{root}/etc/ggnet/appsettings.json"));

        var purged = await fixture.UninstallAsync(root, "--purge");

        Assert.True(purged.IsSuccess, purged.StandardError);
        Assert.False(Directory.Exists($"{root}/var/lib/ggnet"));
        Assert.False(Directory.Exists($"{root}/var/log/ggnet"));
        Assert.False(Directory.Exists($"{root}/etc/ggnet"));
    }

    [Fact]
    public async Task Uninstall_WithAPrefixThatHoldsNoGGnet_RemovesNothing()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);
        Directory.CreateDirectory($"{root}/srv/other");
        await File.WriteAllTextAsync($"{root}/srv/other/keep", "keep");

        var refused = await fixture.UninstallAsync(root, "--prefix", "/srv/other");

        Assert.False(refused.IsSuccess);
        Assert.True(File.Exists($"{root}/srv/other/keep"));
        Assert.True(File.Exists($"{root}/etc/systemd/system/ggnet.service"));
    }

    [Theory]
    [InlineData("--prefix", "/opt/gg net")]
    [InlineData("--prefix", "relative/path")]
    [InlineData("--prefix", "/opt/$(reboot)")]
    [InlineData("--user", "Bad\nName")]
    [InlineData("--pool", "500")]
    [InlineData("--pool", "0G")]
    [InlineData("--pool", "1.5T")]
    [InlineData("--pool", "5G;reboot")]
    public async Task Install_RefusesAPrefixUserOrPoolSizeItCannotTakeAsIs(string option, string value)
    {
        using var folder = new TempDirectory();

        var refused = await InstallFixture.Run("bash",
            [Path.Combine(fixture.Repository, "deploy", "install.sh"), "--root", folder.Path, "--from", fixture.Published, option, value], check: false);

        Assert.False(refused.IsSuccess);
        Assert.False(Directory.Exists($"{folder.Path}/etc"));
    }
}
