using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GGnet.Infrastructure.Lab;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;

namespace GGnet.Tests.Lab;

/// <summary>
/// A game disk end to end: a data image (an ext4 library with a marker file) attached to a lab PC, copied for each of its
/// sessions on qcow2 overlays, served as the LUN after the system disk by the real tgtd, hooked by iPXE before the real
/// OS boots from its system disk. The OS finds the data disk, prints its marker and counts a write on it.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed partial class GameDiskTests
{
    private static readonly TimeSpan BootTime = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task OnABiosPc_TheOsSeesItsGameDisk_WhatItWroteThereIsGoneAtTheNextSession_AndAnUpdateReachesItsNextSession()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        var marker = Guid.NewGuid().ToString("N");
        var gamesId = await LabLibraries.ImportAsync(app, api, "games", new Dictionary<string, string> { ["ggnet-marker"] = marker });
        var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = pc.GetProperty("id").GetInt32();

        var attach = await api.PutAsJsonAsync($"/api/v1/machines/{id}/data-images", new { imageIds = new[] { gamesId } });
        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).EnsureSuccessStatusCode();
        var first = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.DataDisksMarker, BootTime);
        var session = await api.WaitForAsync($"/api/v1/sessions/machine/{id}/active",
            s => s.GetProperty("osTookOverAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, attach.StatusCode);
        Assert.Equal([gamesId], (await attach.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dataImageIds").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(1, session.GetProperty("dataImageVersionIds").GetArrayLength());
        Assert.Equal((marker, 0), DataDisk(first));
        Assert.Contains(RealOsImage.DataDisksMarker + "1", first, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, session.GetProperty("osTookOverAt").ValueKind);

        // The OS counted a write on its copy; the next session's copy is a fresh one of the library.
        var firstSession = session.GetProperty("id").GetInt32();
        (await api.PostAsync(new Uri($"/api/v1/sessions/{firstSession}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await api.WaitForSessionStateAsync(firstSession, "stopped");
        var leftOver = Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "disks"), $"session-{firstSession}*").ToList();
        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).EnsureSuccessStatusCode();
        var second = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.DataDisksMarker, BootTime);

        Assert.Empty(leftOver);
        Assert.Equal((marker, 0), DataDisk(second));

        // The library is updated once: a maintenance session of it boots a copy of the real OS, which counts a write on the
        // library's own disk; committed, it is the library's version 2, and the PC's next normal session gets it.
        await LabSessions.StopActiveAsync(api, id);
        var systemId = (await api.GetFromJsonAsync<JsonElement>("/api/v1/images")).EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == RealOsImage.Name).GetProperty("id").GetInt32();
        var maintenance = await LabSessions.StartAndPowerOnAsync(api, id, gamesId, "maintenance", bootWith: systemId);
        var updating = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.DataDisksMarker, BootTime);
        (await api.PostAsync(new Uri($"/api/v1/machines/{id}/power-off", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await LabSessions.StopActiveAsync(api, id);
        var commit = await api.PostAsync(new Uri($"/api/v1/sessions/{maintenance}/commit", UriKind.Relative), null);
        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).EnsureSuccessStatusCode();
        var updated = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.DataDisksMarker, BootTime);

        Assert.Equal((marker, 0), DataDisk(updating));
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal(2, (await commit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32());
        Assert.Equal((marker, 1), DataDisk(updated));
    }

    [Fact]
    public async Task OnAUefiPc_TheOsSeesItsGameDisk()
    {
        await using var app = new LabApp(("Storage:CloneStrategy", "Copy"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        var marker = Guid.NewGuid().ToString("N");
        var gamesId = await LabLibraries.ImportAsync(app, api, "games", new Dictionary<string, string> { ["ggnet-marker"] = marker });
        var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = pc.GetProperty("id").GetInt32();
        (await api.PutAsJsonAsync($"/api/v1/machines/{id}", new { name = pc.GetProperty("name").GetString(), macAddress = pc.GetProperty("macAddress").GetString(), firmware = "uefi" }))
            .EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"/api/v1/machines/{id}/data-images", new { imageIds = new[] { gamesId } })).EnsureSuccessStatusCode();

        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).EnsureSuccessStatusCode();
        var console = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.DataDisksMarker, BootTime);
        var machine = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}");
        var qemu = (await File.ReadAllTextAsync($"/proc/{await VirtualPcConsole.QemuPidAsync(app, id)}/cmdline")).Replace('\0', ' ');

        Assert.Equal("uefi", machine.GetProperty("firmware").GetString());
        Assert.Contains("OVMF_CODE", qemu, StringComparison.Ordinal);
        Assert.Equal((marker, 0), DataDisk(console));
        Assert.Contains(RealOsImage.DataDisksMarker + "1", console, StringComparison.Ordinal);
    }

    /// <summary>The marker and the write counter of the one data disk the OS printed at its latest boot.</summary>
    private static (string Marker, int Writes) DataDisk(string console)
    {
        var matches = DataLine().Matches(console);
        Assert.True(matches.Count > 0, "no data disk on the console:\n" + console[Math.Max(0, console.Length - 4000)..]);
        return (matches[^1].Groups[1].Value, int.Parse(matches[^1].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(RealOsImage.DataMarker + @"ggnet-data marker=([0-9a-f]*) writes=(\d+)")]
    private static partial Regex DataLine();
}
