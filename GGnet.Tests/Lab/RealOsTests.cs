using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GGnet.Infrastructure.Lab;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;

namespace GGnet.Tests.Lab;

/// <summary>
/// A real operating system (Debian, built by GGnet from Debian packages) boots diskless through GGnet in the lab: QEMU
/// with SeaBIOS or OVMF, the lab's dhcpd and tftpd, iPXE, tgtd, the session's copy-on-write disk. The OS's root
/// filesystem lives on that disk; at every boot it prints the counter its disk holds and saves the next value, so the
/// console shows what each session's disk remembered.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed partial class RealOsTests
{
    private static readonly TimeSpan BootTime = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task OnAUefiPc_TheOsBootsFromItsSessionDiskCopy_AndEveryNormalSessionStartsClean()
    {
        await using var app = new LabApp(("Storage:CloneStrategy", "Copy"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());

        // The first use builds the image from Debian packages (or from the cached root filesystem) and imports it.
        var boot = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos", firmware = "uefi" });
        var id = (await boot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineIds")[0].GetInt32();
        var machine = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}");
        var first = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.CounterMarker, BootTime);
        var online = await api.WaitForAsync($"/api/v1/sessions/machine/{id}/active",
            s => s.GetProperty("state").GetString() == "online" && s.GetProperty("osTookOverAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(60));
        var qemu = (await File.ReadAllTextAsync($"/proc/{await VirtualPcConsole.QemuPidAsync(app, id)}/cmdline")).Replace('\0', ' ');

        var storage = await api.GetFromJsonAsync<JsonElement>("/api/v1/storage");

        Assert.Equal(HttpStatusCode.Accepted, boot.StatusCode);
        Assert.Equal("full copies", storage.GetProperty("cloneStrategy").GetString());
        Assert.Equal("uefi", machine.GetProperty("firmware").GetString());
        Assert.Contains("OVMF_CODE", qemu, StringComparison.Ordinal);
        Assert.Contains(RealOsImage.UpMarker + machine.GetProperty("name").GetString(), first, StringComparison.Ordinal);
        Assert.Equal(0, Counter(first));
        Assert.Equal("online", online.GetProperty("state").GetString());
        Assert.True(online.GetProperty("osTookOverAt").GetDateTime() > online.GetProperty("onlineAt").GetDateTime(),
            "the OS's own login must come after the firmware's");

        // Stop; the next boot is a new normal session on a new copy of the image: the disk forgot the first boot.
        var firstSession = online.GetProperty("id").GetInt32();
        (await api.PostAsync(new Uri($"/api/v1/sessions/{firstSession}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await api.WaitForSessionStateAsync(firstSession, "stopped");
        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos", firmware = "uefi" })).EnsureSuccessStatusCode();
        var second = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.CounterMarker, BootTime);
        var secondSession = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/machine/{id}/active");

        Assert.NotEqual(firstSession, secondSession.GetProperty("id").GetInt32());
        Assert.Equal(0, Counter(second));
    }

    [Fact]
    public async Task OnABiosPc_APersistentMachinesOsKeepsWhatItWrote_FromOneSessionToTheNext_OnReflinkClones()
    {
        await using var xfs = await XfsLoopFilesystem.CreateAsync(4L << 30);
        await using var app = new LabApp(xfs.MountPoint);
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = pc.GetProperty("id").GetInt32();
        (await api.PutAsJsonAsync($"/api/v1/machines/{id}", new { name = pc.GetProperty("name").GetString(), macAddress = pc.GetProperty("macAddress").GetString(), firmware = "bios", persistent = true }))
            .EnsureSuccessStatusCode();

        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).EnsureSuccessStatusCode();
        var first = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.CounterMarker, BootTime);
        var firstSession = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/machine/{id}/active")).GetProperty("id").GetInt32();
        (await api.PostAsync(new Uri($"/api/v1/sessions/{firstSession}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await api.WaitForSessionStateAsync(firstSession, "stopped");
        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).EnsureSuccessStatusCode();
        var second = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.CounterMarker, BootTime);
        var qemu = (await File.ReadAllTextAsync($"/proc/{await VirtualPcConsole.QemuPidAsync(app, id)}/cmdline")).Replace('\0', ' ');

        var storage = await api.GetFromJsonAsync<JsonElement>("/api/v1/storage");

        Assert.Equal("reflink clones", storage.GetProperty("cloneStrategy").GetString());
        Assert.Equal(0, Counter(first));
        Assert.Equal(1, Counter(second));
        Assert.DoesNotContain("OVMF", qemu, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMaintenanceSessionsWrites_CommittedAsAVersion_BootOnAnotherPc_AndMakeCurrentOfTheOldVersionBringsTheOldValueBack_OnOverlays()
    {
        await using var app = new LabApp(("TestBoot:Enabled", "false"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        // The lab's boot builds and imports the image; this PC's normal session is not the one this test is about.
        var boot = await (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).Content.ReadFromJsonAsync<JsonElement>();
        var first = boot.GetProperty("machineIds")[0].GetInt32();
        await LabSessions.StopActiveAsync(api, first);
        (await api.PostAsync(new Uri($"/api/v1/machines/{first}/power-off", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var images = await api.GetFromJsonAsync<JsonElement>("/api/v1/images");
        var imageId = images.EnumerateArray().Single(i => i.GetProperty("name").GetString() == RealOsImage.Name).GetProperty("id").GetInt32();
        var other = (await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        // Maintenance on the first PC: its OS reads 0 and saves 1; stop; commit as version 2.
        var maintenance = await LabSessions.StartAndPowerOnAsync(api, first, imageId, "maintenance");
        var updating = await VirtualPcConsole.WaitForAsync(api, first, RealOsImage.CounterMarker, BootTime);
        // The OS has synced the new value before printing the old one: the PC can go off, then its session stops.
        (await api.PostAsync(new Uri($"/api/v1/machines/{first}/power-off", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await LabSessions.StopActiveAsync(api, first);
        var commit = await api.PostAsync(new Uri($"/api/v1/sessions/{maintenance}/commit", UriKind.Relative), null);
        var v2 = await commit.Content.ReadFromJsonAsync<JsonElement>();

        var storage = await api.GetFromJsonAsync<JsonElement>("/api/v1/storage");

        Assert.Equal("qcow2 overlays", storage.GetProperty("cloneStrategy").GetString());
        Assert.Equal(0, Counter(updating));
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal(2, v2.GetProperty("number").GetInt32());

        // A normal session on another PC boots the committed disk.
        await LabSessions.StartAndPowerOnAsync(api, other, imageId, "normal");
        var onV2 = await VirtualPcConsole.WaitForAsync(api, other, RealOsImage.CounterMarker, BootTime);

        Assert.Equal(1, Counter(onV2));

        // Make current of version 1: the next session boots the old value.
        await LabSessions.StopActiveAsync(api, other);
        var image = await api.GetFromJsonAsync<JsonElement>($"/api/v1/images/{imageId}");
        var v1 = image.VersionBy("number", 1).GetProperty("id").GetInt32();
        (await api.PostAsync(new Uri($"/api/v1/images/{imageId}/versions/{v1}/make-current", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await LabSessions.StartAndPowerOnAsync(api, other, imageId, "normal");
        var onV1 = await VirtualPcConsole.WaitForAsync(api, other, RealOsImage.CounterMarker, BootTime);

        Assert.Equal(0, Counter(onV1));
    }

    [Fact]
    public async Task Boot_WithAnUnknownImageOrFirmware_IsRefusedWithASentence()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();

        var image = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "windows" });
        var firmware = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, firmware = "coreboot" });

        Assert.Equal(HttpStatusCode.BadRequest, image.StatusCode);
        Assert.Contains("'windows' is not a lab image; use demo or realos.", await image.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, firmware.StatusCode);
        Assert.Contains("'coreboot' is not a firmware; use bios or uefi.", await firmware.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The counter the OS read from its disk at its latest boot, from its console.</summary>
    private static int Counter(string console)
    {
        var matches = CounterLine().Matches(console);
        Assert.NotEmpty(matches);
        return int.Parse(matches[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"GGNET-REALOS-COUNTER value=(\d+)")]
    private static partial Regex CounterLine();
}
