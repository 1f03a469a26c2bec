using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GGnet.Tests.Support;

namespace GGnet.Tests.Deploy;

/// <summary>The systemd unit install.sh lays out: accepted by systemd, free of a mount namespace, and the app started as it starts it.</summary>
[Collection(DeployTests.Name)]
public sealed class GGnetServiceTests(InstallFixture fixture)
{
    // Each of these gives the service a mount namespace of its own, where its FUSE mounts would stay out of tgtd's sight
    // (systemd.exec(5); docs/decisions/0004 and 0006).
    private static readonly string[] MountNamespaceOptions =
    [
        "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "PrivateMounts", "PrivateUsers", "PrivateIPC",
        "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectHostname",
        "ProtectClock", "ProtectProc", "ProcSubset", "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths",
        "NoExecPaths", "TemporaryFileSystem", "BindPaths", "BindReadOnlyPaths", "MountFlags", "RootDirectory", "RootImage",
        "MountImages", "ExtensionImages", "DynamicUser", "MountAPIVFS", "NetworkNamespacePath", "LogNamespace",
    ];

    [Theory]
    [InlineData("ggnet.service")]
    [InlineData("ggnet-helper.service")]
    public async Task Unit_IsAcceptedBySystemdAnalyzeVerify_WithoutAWarning(string name)
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);

        var verify = await InstallFixture.VerifyUnitAsync(root, name);

        Assert.True(verify.IsSuccess, verify.StandardError);
        Assert.Equal("", verify.StandardError.Trim());
    }

    [Fact]
    public void Unit_RestartsOnFailure_AfterNetworkAndBootServices_WithItsEnvironmentFileAndUser()
    {
        var unit = Unit.Read(Path.Combine(fixture.Repository, "deploy", "ggnet.service"));

        Assert.Equal("on-failure", unit.Single("Restart"));
        Assert.Equal("-/etc/ggnet/ggnet.env", unit.Single("EnvironmentFile"));
        Assert.Equal("ggnet", unit.Single("User"));
        Assert.Superset(new HashSet<string> { "network-online.target", "tgt.service", "tftpd-hpa.service", "isc-dhcp-server.service" }, unit.Words("After").ToHashSet());
        Assert.Superset(new HashSet<string> { "network-online.target", "tgt.service", "tftpd-hpa.service" }, unit.Words("Wants").ToHashSet());
        Assert.Contains("CAP_NET_BIND_SERVICE", unit.Words("AmbientCapabilities"));
        Assert.Equal("multi-user.target", unit.Single("WantedBy"));
    }

    [Fact]
    public void Unit_MakesNoMountNamespace_AndLeavesSudoUsable()
    {
        var unit = Unit.Read(Path.Combine(fixture.Repository, "deploy", "ggnet.service"));

        Assert.Empty(unit.Keys.Intersect(MountNamespaceOptions));
        Assert.DoesNotContain("NoNewPrivileges", unit.Keys);
        Assert.DoesNotContain("CapabilityBoundingSet", unit.Keys);
    }

    [Fact]
    public async Task InstalledApp_StartedAsTheUnitStartsIt_RunsAsTheServiceUser_AndAnswersHealth()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);
        var unit = Unit.Read($"{root}/etc/systemd/system/ggnet.service");
        var environmentFile = root + unit.Single("EnvironmentFile").TrimStart('-');
        // A port below 1024, so binding it needs the capability the unit grants.
        var port = FreePrivilegedPort();
        // The admin's part, in the environment file: where to listen, and (for the test) where the tree's folders are.
        var lines = File.ReadAllLines(environmentFile).Select(l => l.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal) ? $"ASPNETCORE_URLS=http://127.0.0.1:{port}" : l).ToList();
        lines.AddRange([
            $"GGNET__Database__DataDirectory={root}/var/lib/ggnet",
            $"GGNET__Boot__TftpRoot={root}/var/lib/tftpboot",
            $"GGNET__Dhcp__ConfigPath={root}/etc/dhcp/ggnet/dhcpd.conf",
            $"GGNET__Dhcp__DnsmasqConfigPath={root}/etc/dhcp/ggnet/dnsmasq-proxy.conf",
            $"GGNET__Logs__Directory={root}/var/log/ggnet",
            "GGNET_ADMIN_PASSWORD=deploy-test-admin-1",
        ]);
        await File.WriteAllLinesAsync(environmentFile, lines);

        using var app = Start(unit, root, environmentFile);
        try
        {
            var health = await HealthAsync(port, app);

            Assert.Equal("Healthy", health);
            Assert.Equal(await IdAsync("-u"), Status(app.Id, "Uid:").Split('\t')[1]);
            Assert.Equal($"644 {InstallFixture.User}:{InstallFixture.User}", await InstallFixture.ModeAndOwner($"{root}/var/lib/ggnet/ggnet.db"));
            var logFile = Assert.Single(Directory.GetFiles($"{root}/var/log/ggnet", "ggnet-*.log"));
            Assert.StartsWith($"644 {InstallFixture.User}:{InstallFixture.User}", await InstallFixture.ModeAndOwner(logFile));
        }
        finally
        {
            await InstallFixture.StopAsync(app);
        }
    }

    [Fact]
    public async Task SudoersRule_LetsTheServiceUserRestartTheDhcpDaemonsOnly_NeitherTgtadmNorTargetcli()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);
        var installed = $"/etc/sudoers.d/{InstallFixture.User}";
        File.Copy($"{root}/etc/sudoers.d/ggnet", installed, overwrite: true);
        File.SetUnixFileMode(installed, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        try
        {
            var systemctl = File.Exists("/usr/bin/systemctl") ? "/usr/bin/systemctl" : "/bin/systemctl";

            // tgtd is reached through GGnet's root helper (RootHelperTests), never through sudo.
            Assert.False(await AllowedAsync("/usr/sbin/tgtadm", "--lld", "iscsi", "--op", "show", "--mode", "target"));
            Assert.False(await AllowedAsync("/usr/sbin/tgtadm", "--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "-b", "/etc/shadow"));
            Assert.False(await AllowedAsync("/usr/bin/targetcli"));
            Assert.True(await AllowedAsync(systemctl, "restart", "isc-dhcp-server"));
            Assert.True(await AllowedAsync(systemctl, "restart", "dnsmasq"));
            Assert.False(await AllowedAsync("/usr/bin/targetcli", "/backstores/fileio", "create", "x", "/etc/shadow"));
            Assert.False(await AllowedAsync("/usr/sbin/tgtadm", "--mode", "system", "--op", "delete"));
            Assert.False(await AllowedAsync(systemctl, "stop", "tgt"));
            Assert.False(await AllowedAsync("/bin/sh"));
        }
        finally
        {
            File.Delete(installed);
        }
    }

    private static async Task<bool> AllowedAsync(params string[] command) =>
        (await InstallFixture.Run("sudo", ["-n", "-l", "-U", InstallFixture.User, "--", .. command], check: false)).IsSuccess;

    private static Process Start(Unit unit, string root, string environmentFile)
    {
        var execStart = unit.Single("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var capabilities = string.Join(',', unit.Words("AmbientCapabilities").Select(c => "+" + c["CAP_".Length..].ToLowerInvariant()));
        var user = unit.Single("User");
        var start = new ProcessStartInfo("setpriv",
            [$"--reuid={user}", $"--regid={user}", "--init-groups", $"--inh-caps={capabilities}", $"--ambient-caps={capabilities}", "--", root + execStart[0], .. execStart[1..]])
        {
            WorkingDirectory = root + unit.Single("WorkingDirectory"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // systemd starts a service with a clean environment: its own few variables, then the EnvironmentFile.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["HOME"] = $"{root}/var/lib/ggnet";
        start.Environment["USER"] = user;
        start.Environment["LOGNAME"] = user;
        foreach (var line in File.ReadAllLines(environmentFile).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')))
        {
            start.Environment[line[..line.IndexOf('=', StringComparison.Ordinal)]] = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }
        // The one difference from the unit: /etc/ggnet/appsettings.json of the tree, not of this machine.
        start.Environment["GGNET_SETTINGS_FILE"] = $"{root}/etc/ggnet/appsettings.json";
        return InstallFixture.StartDrained(start);
    }

    private static async Task<string> HealthAsync(int port, Process app)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !app.HasExited)
        {
            try
            {
                var answer = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (answer.IsSuccessStatusCode)
                {
                    return await answer.Content.ReadAsStringAsync();
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        return app.HasExited ? $"exited with {app.ExitCode}" : "no answer within 60 s";
    }

    private static async Task<string> IdAsync(string what) => (await InstallFixture.Run("id", [what, InstallFixture.User])).StandardOutput.Trim();

    private static string Status(int pid, string field) =>
        File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim();

    private static int FreePrivilegedPort()
    {
        for (var port = 900; port < 1024; port++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No free port between 900 and 1023 on 127.0.0.1.");
    }
}
