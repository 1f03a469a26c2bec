using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;

namespace GGnet.Tests.Lab;

/// <summary>
/// The day-one route to a café's own image: a blank image, an installer ISO uploaded like a disk image, an install
/// session (the PC boots the ISO from a CD-ROM of the session's target with the session's disk hooked), its commit, and
/// a normal session that boots what was installed. The ISO is made in the test: Linux whose installer finds the disk and
/// the ISO again through its own iSCSI initiator, as Windows Setup must, and writes a tiny system and a marker onto the
/// disk (<see cref="InstallerIso"/>).
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class InstallFromIsoTests
{
    private static readonly TimeSpan BootTime = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ABlankImage_InstalledFromAnUploadedIso_IsCommitted_AndANormalSessionBootsWhatTheInstallerWrote()
    {
        using var scratch = new TempDirectory();
        var iso = Path.Combine(scratch.Path, "installer.iso");
        await InstallerIso.BuildAsync(iso);
        await using var app = new LabApp(("TestBoot:Enabled", "false"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());

        // The ISO goes up like a disk image: resumable, in two parts.
        var bytes = await File.ReadAllBytesAsync(iso);
        var half = bytes.Length / 2;
        (await UploadAsync(api, $"fileName=installer.iso&size={bytes.Length}&offset=0", bytes[..half])).EnsureSuccessStatusCode();
        var uploaded = await UploadAsync(api, $"fileName=installer.iso&size={bytes.Length}&offset={half}", bytes[half..]);
        var blank = await api.PostAsJsonAsync("/api/v1/images/blank", new { name = "cafe-os", sizeGiB = 1 });
        var image = await blank.Content.ReadFromJsonAsync<JsonElement>();
        var imageId = image.GetProperty("id").GetInt32();
        var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = pc.GetProperty("id").GetInt32();
        (await api.PutAsJsonAsync($"/api/v1/machines/{id}", new { name = pc.GetProperty("name").GetString(), macAddress = pc.GetProperty("macAddress").GetString(), firmware = "bios" }))
            .EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal(HttpStatusCode.Created, blank.StatusCode);
        Assert.Equal(1, image.GetProperty("versions").GetArrayLength());

        // The install: the PC boots the ISO, whose installer writes onto the session's disk and powers the PC off.
        var install = await LabSessions.StartAndPowerOnAsync(api, id, imageId, "maintenance", "installer.iso");
        var installing = await VirtualPcConsole.WaitForAsync(api, id, InstallerIso.DoneMarker, BootTime);
        var marker = InstallerIso.MarkerOn(installing);
        var session = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{install}");

        Assert.Equal("installer.iso", session.GetProperty("installFrom").GetString());
        // After the firmware's iSCSI is gone, the installer's own initiator still finds the ISO it booted from: a CD-ROM.
        Assert.Contains(" medium=/dev/sr", installing, StringComparison.Ordinal);
        Assert.Contains(":GGNET_INSTALLER", installing, StringComparison.Ordinal);

        // The installer powers the PC off: GGnet sees the virtual PC end, the session waits for a boot again and can stop.
        await api.WaitForSessionStateAsync(install, "ready");
        await StopAsync(api, install);
        var commit = await api.PostAsync(new Uri($"/api/v1/sessions/{install}/commit", UriKind.Relative), null);
        var v2 = await commit.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal(2, v2.GetProperty("number").GetInt32());

        // A normal session of the image boots the installed system from its own copy, which reads the installer's marker.
        var normal = await LabSessions.StartAndPowerOnAsync(api, id, imageId, "normal");
        var booted = await VirtualPcConsole.WaitForAsync(api, id, InstallerIso.InstalledMarker + marker, BootTime);

        Assert.True(booted.Contains(InstallerIso.InstalledMarker + marker, StringComparison.Ordinal), "the installed system's console:\n" + booted[Math.Max(0, booted.Length - 4000)..]);
        await StopAsync(api, normal);
    }

    [Fact]
    public async Task AnInstall_FromAFileThatIsNoIso_OrInANormalSession_IsRefusedWithASentence()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = pc.GetProperty("id").GetInt32();
        var imageId = (await (await api.PostAsJsonAsync("/api/v1/images/blank", new { name = "cafe-os", sizeGiB = 1 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        (await UploadAsync(api, "fileName=notes.iso", new byte[64 * 1024])).EnsureSuccessStatusCode();

        var notIso = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = id, imageId, type = "maintenance", installFrom = "notes.iso" });
        var normal = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = id, imageId, type = "normal", installFrom = "notes.iso" });
        var missing = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = id, imageId, type = "maintenance", installFrom = "win11.iso" });
        var sessions = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions?machineId={id}");

        Assert.Equal(HttpStatusCode.BadRequest, notIso.StatusCode);
        Assert.Contains("notes.iso is not an ISO 9660 image", await notIso.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, normal.StatusCode);
        Assert.Contains("Only a maintenance session installs from an ISO", await normal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("There is no file 'win11.iso' in the import folder", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, sessions.GetProperty("items").GetArrayLength());
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient api, string query, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/images/upload?{query}") { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("X-GGnet-Upload", "1");
        return await api.SendAsync(request);
    }

    private static async Task StopAsync(HttpClient api, int sessionId)
    {
        var stop = await api.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null);
        Assert.True(stop.IsSuccessStatusCode, await stop.Content.ReadAsStringAsync());
        await api.WaitForSessionStateAsync(sessionId, "stopped");
    }
}
