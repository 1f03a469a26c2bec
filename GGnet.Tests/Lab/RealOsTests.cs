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
    public async Task OnAUefiPc_TheOsBootsFromItsSessionDisk_AndEveryNormalSessionStartsClean()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());

        // The first use builds the image from Debian packages (or from the cached root filesystem) and imports it.
        var boot = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos", firmware = "uefi" });
        var id = (await boot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineIds")[0].GetInt32();
        var machine = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}");
        var first = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.CounterMarker, BootTime);
        var online = await api.WaitForAsync($"/api/v1/sessions/machine/{id}/active", s => s.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(60));
        var qemu = (await File.ReadAllTextAsync($"/proc/{await VirtualPcConsole.QemuPidAsync(app, id)}/cmdline")).Replace('\0', ' ');

        Assert.Equal(HttpStatusCode.Accepted, boot.StatusCode);
        Assert.Equal("uefi", machine.GetProperty("firmware").GetString());
        Assert.Contains("OVMF_CODE", qemu, StringComparison.Ordinal);
        Assert.Contains(RealOsImage.UpMarker + machine.GetProperty("name").GetString(), first, StringComparison.Ordinal);
        Assert.Equal(0, Counter(first));
        Assert.Equal("online", online.GetProperty("state").GetString());

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
    public async Task OnABiosPc_APersistentMachinesOsKeepsWhatItWrote_FromOneSessionToTheNext()
    {
        await using var app = new LabApp();
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

        Assert.Equal(0, Counter(first));
        Assert.Equal(1, Counter(second));
        Assert.DoesNotContain("OVMF", qemu, StringComparison.Ordinal);
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
