using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Infrastructure.RootHelper;
using GGnet.Tests.Support;

namespace GGnet.Tests.Deploy;

/// <summary>
/// Issue row "the service user is root in all but name", tried for real: the tree install.sh lays out, its root helper
/// started as its unit starts it (root, the service's group), a real tgtd, and every request sent as the service's
/// user (setpriv + socat, the bytes GGnet's own client sends). GGnet's own operations make a target a PC logs in to
/// with CHAP (libiscsi); every other attempt is refused and changes nothing in tgtd.
/// </summary>
[Collection(DeployTests.Name)]
public sealed class RootHelperTests(InstallFixture fixture) : IAsyncLifetime
{
    private const string Authority = "iqn.2024-01.net.ggnet";
    private readonly TempDirectory _folder = new();
    private TgtDaemon _tgtd = null!;
    private Process? _helper;
    private string _root = null!;
    private string _socket = null!;
    private string _disks = null!;

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(_folder.Path, (UnixFileMode)0b111_101_101);
        _root = await fixture.InstallAsync(Directory.CreateDirectory(Path.Combine(_folder.Path, "root")).FullName);
        _tgtd = await TgtDaemon.StartAsync();
        _disks = $"{_root}/var/lib/ggnet/disks";
        Directory.CreateDirectory(_disks);
        await InstallFixture.Run("chown", [$"{InstallFixture.User}:{InstallFixture.User}", _disks]);
        // What systemd's RuntimeDirectory= makes: root's folder, open to the unit's group.
        var run = Directory.CreateDirectory(Path.Combine(_folder.Path, "run")).FullName;
        File.SetUnixFileMode(run, (UnixFileMode)0b111_101_101);
        _socket = Path.Combine(run, "helper.sock");
        _helper = StartHelper();
        for (var waited = 0; !File.Exists(_socket) && waited < 600 && !_helper.HasExited; waited++)
        {
            await Task.Delay(100);
        }
        Assert.True(File.Exists(_socket), "the helper did not listen within 60 s");
    }

    [Fact]
    public async Task AsTheServicesUser_GGnetsOwnOperations_MakeATargetAPcLogsInTo()
    {
        var disk = await UsersDiskAsync(10);

        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = 10, TargetName = $"{Authority}:session.10" })).Status);
        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 10, Lun = 1, BackingStore = disk })).Status);
        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.Account, TgtOperation.New) { User = "pc-10", Password = "Secret12345678ab" })).Status);
        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.Account, TgtOperation.Bind) { Tid = 10, User = "pc-10" })).Status);
        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 10, InitiatorAddress = "127.0.0.1" })).Status);

        var login = await Cli.Wrap("/usr/bin/iscsi-inq")
            .WithArguments(["-i", $"{Authority}:initiator.525400000010", $"iscsi://pc-10%Secret12345678ab@127.0.0.1:{_tgtd.IscsiPort}/{Authority}:session.10/1"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(login.IsSuccess, login.StandardError);
        var target = Assert.Single(await TargetsAsync(), t => t.Tid == 10);
        Assert.Equal([disk], target.State.LunPaths);
        Assert.Equal(["127.0.0.1"], target.State.AllowedInitiators);
        var listing = await AsServiceAsync(new TgtRequest(TgtMode.Target, TgtOperation.Show));
        Assert.Contains($"{Authority}:session.10", listing.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheInstalledApp_RunAsTheServicesUser_StartsASession_APcLogsInToIt_AndStopsIt()
    {
        var data = $"{_root}/var/lib/ggnet";
        Directory.CreateDirectory($"{data}/import");
        await File.WriteAllBytesAsync($"{data}/import/golden.img", new byte[8 << 20]);
        await InstallFixture.Run("chown", ["-R", $"{InstallFixture.User}:{InstallFixture.User}", $"{data}/import"]);
        var unit = Unit.Read($"{_root}/etc/systemd/system/ggnet.service");
        await using var app = new GGnetProcess(data,
        [
            .. BootAppFactory.NetworkSettings,
            ("Lab:Enabled", "false"),
            ("Boot:TftpRoot", $"{_root}/var/lib/tftpboot"),
            ("Dhcp:ConfigPath", $"{_root}/etc/dhcp/ggnet/dhcpd.conf"),
            ("Dhcp:RestartCommand", "/bin/true"),
            ("Dhcp:LeasesPath", $"{data}/dhcpd.leases"),
            ("Logs:Directory", $"{_root}/var/log/ggnet"),
            ("Helper:Socket", _socket),
            ("Storage:DiskDirectory", _disks),
            ("Storage:CloneStrategy", "Copy"),
        ], installedApp: _root + unit.Single("ExecStart"), user: InstallFixture.User);
        await app.StartAsync();
        using var admin = await app.CreateAdminClientAsync();
        var image = await (await admin.PostAsJsonAsync("/api/v1/images/import", new { name = "golden", file = "golden.img" })).Content.ReadFromJsonAsync<JsonElement>();
        var imageId = image.GetProperty("id").GetInt32();
        await admin.WaitForAsync($"/api/v1/images/{imageId}", i => i.GetProperty("versions").EnumerateArray().Any(v => v.GetProperty("status").GetString() == "ready"), TimeSpan.FromSeconds(60));
        var machine = await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = "seat-17", macAddress = "52:54:00:17:00:17" })).Content.ReadFromJsonAsync<JsonElement>();
        var machineId = machine.GetProperty("id").GetInt32();

        var started = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(60));

        var target = Assert.Single(await TargetsAsync());
        Assert.Equal($"{Authority}:session.{sessionId}", target.State.Target.Value);
        Assert.Equal([$"{_disks}/session-{sessionId}.img"], target.State.LunPaths);
        var chap = await (await admin.PostAsync(new Uri($"/api/v1/machines/{machineId}/chap/reveal", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var login = await Cli.Wrap("/usr/bin/iscsi-inq")
            .WithArguments(["-i", $"{Authority}:initiator.525400170017",
                $"iscsi://seat-17%{chap.GetProperty("secret").GetString()}@127.0.0.1:{_tgtd.IscsiPort}/{Authority}:session.{sessionId}/1"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(login.IsSuccess, login.StandardError);
        // The DHCP configuration root's dhcpd reads was written by the helper, as root's.
        await admin.WaitForAsync("/api/v1/machines/" + machineId, _ => File.ReadAllText($"{_root}/etc/dhcp/ggnet/dhcpd.conf").Contains("52:54:00:17:00:17", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{_root}/etc/dhcp/ggnet/dhcpd.conf"));

        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped", TimeSpan.FromSeconds(60));
        Assert.Empty(await TargetsAsync());
    }

    [Fact]
    public async Task AsTheServicesUser_EveryAttemptOfTheIssue_IsRefused_AndTgtdIsUnchanged()
    {
        // Someone else's target on the same tgtd, and one of GGnet's that already admits its PC.
        await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "90", "-T", "iqn.2003-01.org.example:backup");
        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = 11, TargetName = $"{Authority}:session.11" })).Status);
        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 11, InitiatorAddress = "127.0.0.1" })).Status);
        var before = await TargetsAsync();
        var ownDisk = await UsersDiskAsync(12);
        await InstallFixture.Run("setpriv", [.. AsUser, "ln", "-s", "/etc/shadow", $"{_disks}/session-13.img"]);
        await File.WriteAllTextAsync($"{_disks}/session-14.img", "root's own file");
        Assert.Equal(TgtStatus.Success, (await AsServiceAsync(new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = 12, TargetName = $"{Authority}:session.12" })).Status);
        before = await TargetsAsync();

        TgtRequest[] attempts =
        [
            new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 12, Lun = 1, BackingStore = "/etc/shadow" },
            new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 12, Lun = 1, BackingStore = "/dev/loop0" },
            new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 12, Lun = 1, BackingStore = $"{_disks}/session-13.img" },
            new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 12, Lun = 1, BackingStore = $"{_disks}/session-14.img" },
            new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 12, Lun = 1, BackingStore = $"{ownDisk},bstype=sg" },
            new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 11, Lun = 1, BackingStore = ownDisk },
            new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 90, Lun = 1, BackingStore = ownDisk },
            new(TgtMode.Target, TgtOperation.Bind) { Tid = 11, InitiatorAddress = "ALL" },
            new(TgtMode.Target, TgtOperation.Bind) { Tid = 11, InitiatorName = "ALL" },
            new(TgtMode.Target, TgtOperation.Bind) { Tid = 90, InitiatorAddress = "127.0.0.1" },
            new(TgtMode.Target, TgtOperation.Delete) { Tid = 90, Force = true },
            new(TgtMode.Target, TgtOperation.New) { Tid = 91, TargetName = "iqn.2003-01.org.evil:disk" },
            new(TgtMode.Account, TgtOperation.Bind) { User = "pc-11" },
            new(TgtMode.System, TgtOperation.Delete),
        ];
        foreach (var attempt in attempts)
        {
            var reply = await AsServiceAsync(attempt);
            Assert.True(reply.Status == TgtStatus.Refused, $"{attempt} was not refused: {reply.Status} {reply.Text}");
        }

        Assert.Equivalent(before, await TargetsAsync(), strict: true);
        // tgtd itself answers its own user only: the service's user can't go around the helper.
        var direct = await Cli.Wrap("setpriv").WithArguments([.. AsUser, "/usr/sbin/tgtadm", "-C", _tgtd.ControlPort.ToString(CultureInfo.InvariantCulture),
                "--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "92", "-T", "iqn.2003-01.org.evil:direct"])
            .WithEnvironmentVariables(e => e.Set("TGT_IPC_SOCKET", _tgtd.IpcSocket))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.False(direct.IsSuccess);
        Assert.Equivalent(before, await TargetsAsync(), strict: true);
    }

    [Fact]
    public async Task AUserOutsideTheServicesGroup_CannotReachTheHelper()
    {
        var stranger = await Cli.Wrap("setpriv")
            .WithArguments(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "socat", "-t", "5", "-", $"UNIX-CONNECT:{_socket}"])
            .WithStandardInputPipe(PipeSource.FromString(JsonSerializer.Serialize(new HelperRequest { Tgt = new TgtRequest(TgtMode.Target, TgtOperation.Show) }, HelperWire.Json) + "\n"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        Assert.False(stranger.IsSuccess);
        Assert.Contains("Permission denied", stranger.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsTheServicesUser_GGnetsDhcpConfiguration_IsCheckedAndInstalled_AsRoots()
    {
        var config = GGnet.Core.Boot.DhcpdConfig.Render(BootSamples.Network(), []);

        var reply = await AsServiceAsync<GGnet.Infrastructure.Dhcp.ConfigInstallReply>(
            new HelperRequest { DhcpConfig = new(GGnet.Infrastructure.Dhcp.DhcpDaemon.Dhcpd, config) });

        Assert.Equal(GGnet.Infrastructure.Dhcp.ConfigInstallOutcome.Installed, reply.Outcome);
        Assert.Equal(config, await File.ReadAllTextAsync($"{_root}/etc/dhcp/ggnet/dhcpd.conf"));
        Assert.Equal("644 root:root", await InstallFixture.ModeAndOwner($"{_root}/etc/dhcp/ggnet/dhcpd.conf"));
    }

    [Theory]
    [InlineData("Dhcpd", "dhcpd.conf", "on commit {\n  execute(\"/tmp/run-as-root\");\n}\n")]
    [InlineData("Dnsmasq", "dnsmasq-proxy.conf", "port=0\ndhcp-script=/tmp/run-as-root\n")]
    public async Task AsTheServicesUser_AConfigurationThatRunsAProgramAsRoot_IsRefused_AndRootsFileStays(string daemon, string file, string text)
    {
        var before = await File.ReadAllTextAsync($"{_root}/etc/dhcp/ggnet/{file}");

        var reply = await AsServiceAsync<GGnet.Infrastructure.Dhcp.ConfigInstallReply>(
            new HelperRequest { DhcpConfig = new(Enum.Parse<GGnet.Infrastructure.Dhcp.DhcpDaemon>(daemon), text) });

        Assert.Equal(GGnet.Infrastructure.Dhcp.ConfigInstallOutcome.Refused, reply.Outcome);
        Assert.Contains("is not one GGnet writes", reply.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync($"{_root}/etc/dhcp/ggnet/{file}"));
    }

    private static string[] AsUser => [$"--reuid={InstallFixture.User}", $"--regid={InstallFixture.User}", "--init-groups", "--"];

    private async Task<string> UsersDiskAsync(int session)
    {
        var disk = $"{_disks}/session-{session.ToString(CultureInfo.InvariantCulture)}.img";
        await InstallFixture.Run("setpriv", [.. AsUser, "truncate", "-s", "4M", disk]);
        return disk;
    }

    private Task<TgtReply> AsServiceAsync(TgtRequest request) => AsServiceAsync<TgtReply>(new HelperRequest { Tgt = request });

    /// <summary>One request as the service's user sends it: GGnet's own client's JSON line, through socat.</summary>
    private async Task<T> AsServiceAsync<T>(HelperRequest request)
    {
        var sent = await Cli.Wrap("setpriv")
            .WithArguments([.. AsUser, "socat", "-t", "30", "-", $"UNIX-CONNECT:{_socket}"])
            .WithStandardInputPipe(PipeSource.FromString(JsonSerializer.Serialize(request, HelperWire.Json) + "\n"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(sent.IsSuccess, sent.StandardError);
        return JsonSerializer.Deserialize<T>(sent.StandardOutput, HelperWire.Json)!;
    }

    private async Task<IReadOnlyList<TgtTargetListing.Entry>> TargetsAsync() =>
        TgtTargetListing.Parse((await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput);

    // As ggnet-helper.service starts it: root, its ExecStart and Environment, the tree's settings.
    private Process StartHelper()
    {
        var unit = Unit.Read($"{_root}/etc/systemd/system/ggnet-helper.service");
        Assert.Equal("root", unit.Single("User"));
        var execStart = unit.Single("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(_root + execStart[0], execStart[1..])
        {
            WorkingDirectory = _root + unit.Single("WorkingDirectory"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var setting in unit.Words("Environment"))
        {
            start.Environment[setting[..setting.IndexOf('=', StringComparison.Ordinal)]] = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }
        start.Environment["GGNET_SETTINGS_FILE"] = $"{_root}/etc/ggnet/appsettings.json";
        start.Environment["GGNET__Database__DataDirectory"] = $"{_root}/var/lib/ggnet";
        start.Environment["GGNET__Helper__Socket"] = _socket;
        start.Environment["GGNET__Dhcp__ConfigPath"] = $"{_root}/etc/dhcp/ggnet/dhcpd.conf";
        start.Environment["GGNET__Dhcp__DnsmasqConfigPath"] = $"{_root}/etc/dhcp/ggnet/dnsmasq-proxy.conf";
        start.Environment["GGNET__Iscsi__TgtControlPort"] = _tgtd.ControlPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["GGNET__Iscsi__TgtIpcSocket"] = _tgtd.IpcSocket;
        return InstallFixture.StartDrained(start);
    }

    public async Task DisposeAsync()
    {
        if (_helper is not null)
        {
            await InstallFixture.StopAsync(_helper);
            _helper.Dispose();
        }
        await _tgtd.DisposeAsync();
        _folder.Dispose();
    }
}
