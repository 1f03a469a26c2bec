using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CliWrap;
using GGnet.Core.Domain.Machines;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Netboot;
using static GGnet.Tests.Support.Netboot.NetbootSteps;

namespace GGnet.Tests.E2E;

/// <summary>
/// A real network boot: GGnet itself renders dhcpd.conf, writes the scripts, clones the disk and creates
/// the tgt target through the normal session start; a QEMU PC (iPXE NIC ROM) boots it over iSCSI and
/// prints the per-run nonce read from that disk. Runs inside a private network namespace.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class NetbootTests
{
    private const string Mac = "52:54:00:99:00:01";
    private const string TftpMac = "52:54:00:99:00:02";

    [Fact]
    public async Task Session_BootsARealPcOverIscsi_GoesOnlineByObservation_AndAfterStopThePcWaits()
    {
        await using var lab = await NetbootLab.StartAsync();
        using var api = lab.CreateClient();
        await LogInAsync(api);
        var nonce = Guid.NewGuid().ToString("N")[..12];
        var imageId = await AddImageAsync(lab, nonce);
        var machine = await (await api.PostAsJsonAsync("/api/v1/machines", new { name = "e2e-pc1", macAddress = Mac, ipAddress = "10.99.0.10" })).Content.ReadFromJsonAsync<JsonElement>();
        var machineId = machine.GetProperty("id").GetInt32();

        // A second PC whose iPXE loads its script over TFTP only boots the same way.
        var tftpMachineId = (await (await api.PostAsJsonAsync("/api/v1/machines", new { name = "e2e-pc2", macAddress = TftpMac, ipAddress = "10.99.0.11", scriptTransport = "tftp" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        // A script read over TFTP can't carry CHAP secrets (anyone can read it): this PC's disk goes without.
        (await api.PutAsJsonAsync($"/api/v1/machines/{tftpMachineId}/chap", new { policy = "off" })).EnsureSuccessStatusCode();
        var tftpSessionId = (await (await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = tftpMachineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.WaitForSessionStateAsync(tftpSessionId, "ready", TimeSpan.FromSeconds(30));
        // Health looks at the daemons themselves: the lab's dhcpd by its pid file, its tftpd by asking it for a file.
        var health = await api.WaitForAsync("/health/ready", h => h.GetProperty("status").GetString() != "Unhealthy", TimeSpan.FromSeconds(30));
        var tftpPc = lab.PowerOn(TftpMac, "pc2-boot1");
        var tftpNonce = await tftpPc.WaitForAsync(tftpPc.Com1, $"GGNET-BOOT-OK nonce={nonce}", TimeSpan.FromSeconds(120));
        var tftpOnline = tftpNonce ? await api.WaitForSessionStateAsync(tftpSessionId, "online", TimeSpan.FromSeconds(20)) : default;
        var tftpEvents = await BootEventsAsync(lab, tftpMachineId);
        var tftpConsole = File.Exists(tftpPc.Com2) ? await File.ReadAllTextAsync(tftpPc.Com2) : "";
        await tftpPc.PowerOffAsync();

        Assert.True(tftpNonce, "The TFTP PC's nonce never arrived. iPXE said: " + Tail(tftpPc.Com2));
        var parts = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "boot").GetProperty("components");
        Assert.Contains("dhcpd is running", parts.GetProperty("DHCP").GetString(), StringComparison.Ordinal);
        Assert.Contains("tftpd answers on 10.99.0.1:69", parts.GetProperty("TFTP").GetString(), StringComparison.Ordinal);
        Assert.Equal("online", tftpOnline.GetProperty("state").GetString());
        Assert.Contains($"tftp://10.99.0.1/machines/{TftpMac.Replace(':', '-')}.ipxe", tftpConsole, StringComparison.Ordinal);
        Assert.DoesNotContain(BootEventKind.ScriptFetchedHttp, tftpEvents);
        Assert.Contains(BootEventKind.ScriptFetchedTftp, tftpEvents);

        var sessionId = (await (await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(30));
        // Without reflink (the lab's folders are on ext4 or tmpfs) the disk is a qcow2 overlay served over FUSE.
        var overlay = Path.Combine(lab.Root, "disks", $"session-{sessionId}.qcow2");
        var wasOverlay = File.Exists(overlay);
        var pc = lab.PowerOn(Mac, "pc1-boot1");
        var nonceArrived = await pc.WaitForAsync(pc.Com1, $"GGNET-BOOT-OK nonce={nonce}", TimeSpan.FromSeconds(120));
        var online = nonceArrived ? await api.WaitForSessionStateAsync(sessionId, "online", TimeSpan.FromSeconds(20)) : default;
        var events = await BootEventsAsync(lab, machineId);
        await pc.PowerOffAsync();

        Assert.True(wasOverlay, "the session disk was not a qcow2 overlay");
        Assert.True(nonceArrived, "The nonce never arrived on COM1. iPXE said: " + Tail(pc.Com2));
        Assert.Equal("online", online.GetProperty("state").GetString());
        Assert.Contains(BootEventKind.ScriptFetchedHttp, events);
        Assert.Contains(BootEventKind.DiskAttached, events);

        (await api.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await api.WaitForSessionStateAsync(sessionId, "stopped", TimeSpan.FromSeconds(60));
        var targets = new StringBuilder();
        await Cli.Wrap("/usr/sbin/tgtadm")
            .WithArguments(["-C", lab.TgtControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lld", "iscsi", "--op", "show", "--mode", "target"])
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["TGT_IPC_SOCKET"] = lab.TgtIpcSocket })
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(targets))
            .ExecuteAsync();
        var again = lab.PowerOn(Mac, "pc1-boot2");
        var waiting = await again.WaitForAsync(again.Com2, "has no session yet", TimeSpan.FromSeconds(120));
        var bootedAnyway = File.Exists(again.Com1) && (await File.ReadAllTextAsync(again.Com1)).Contains("GGNET-BOOT-OK", StringComparison.Ordinal);
        await again.PowerOffAsync();

        Assert.True(waiting, "After stop the PC did not show the no-session screen. iPXE said: " + Tail(again.Com2));
        Assert.False(bootedAnyway);
        Assert.DoesNotContain($"session.{sessionId}", targets.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(overlay), "the overlay outlived its session");
    }

    [Fact]
    public async Task Session_OnAReflinkPool_BootsARealPcFromAnInstantClone()
    {
        await using var xfs = await XfsLoopFilesystem.CreateAsync();
        var disks = Path.Combine(xfs.MountPoint, "disks");
        var disk = await BootOnceAsync(Path.Combine(xfs.MountPoint, "images"), disks, "Auto", "xfs-boot1");

        Assert.Contains("shared", disk.Extents, StringComparison.Ordinal);
        Assert.False(disk.WasOverlay);
    }

    [Fact]
    public async Task Session_OnACopyPool_BootsARealPcFromAFullCopy()
    {
        var disk = await BootOnceAsync(null, null, "Copy", "copy-boot1");

        Assert.DoesNotContain("shared", disk.Extents, StringComparison.Ordinal);
        Assert.False(disk.WasOverlay);
    }

    private sealed record SessionDisk(string Extents, bool WasOverlay);

    // One PC boots a fresh image over iSCSI on the given storage; asserts the boot, returns what its disk was.
    private static async Task<SessionDisk> BootOnceAsync(string? images, string? disks, string strategy, string label)
    {
        var settings = new Dictionary<string, string> { ["GGNET__Storage__CloneStrategy"] = strategy };
        if (disks is not null && images is not null)
        {
            settings["GGNET__Storage__DiskDirectory"] = disks;
            settings["GGNET__Storage__ImageDirectory"] = images;
        }
        await using var lab = await NetbootLab.StartAsync(settings);
        using var api = lab.CreateClient();
        await LogInAsync(api);
        var nonce = Guid.NewGuid().ToString("N")[..12];
        var imageId = await AddImageAsync(lab, nonce, images);
        var machineId = (await (await api.PostAsJsonAsync("/api/v1/machines", new { name = "e2e-" + label, macAddress = Mac, ipAddress = "10.99.0.10" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var sessionId = (await (await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(60));
        var folder = disks ?? Path.Combine(lab.Root, "disks");
        var path = Path.Combine(folder, $"session-{sessionId}.img");
        var disk = new SessionDisk(
            (await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(Cli.Wrap("filefrag").WithArguments(["-v", path]))).StandardOutput,
            File.Exists(Path.ChangeExtension(path, ".qcow2")));
        var pc = lab.PowerOn(Mac, label);
        var nonceArrived = await pc.WaitForAsync(pc.Com1, $"GGNET-BOOT-OK nonce={nonce}", TimeSpan.FromSeconds(120));
        var online = nonceArrived ? await api.WaitForSessionStateAsync(sessionId, "online", TimeSpan.FromSeconds(20)) : default;
        await pc.PowerOffAsync();

        Assert.True(nonceArrived, "The nonce never arrived on COM1. iPXE said: " + Tail(pc.Com2));
        Assert.Equal("online", online.GetProperty("state").GetString());
        return disk;
    }
}
