using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Infrastructure.Lab;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;

namespace GGnet.Tests.Lab;

/// <summary>Virtual PCs really network-boot from GGnet in the lab: QEMU with iPXE, the lab's dhcpd, tgtd over iSCSI.</summary>
[Collection(WebAppTests.Name)]
public sealed class VirtualPcTests
{
    [Fact]
    public async Task WithMutualChapServerWide_AVirtualPcBootsOnline_ThroughTheLabsRelay()
    {
        await using var app = new LabApp(("Iscsi:Chap", "Mutual"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());

        var boot = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1 });
        var id = (await boot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineIds")[0].GetInt32();
        var online = await api.WaitForAsync($"/api/v1/sessions/machine/{id}/active", s => s.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(120));
        var chap = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}/chap");
        var console = await VirtualPcConsole.WaitForAsync(api, id, DemoImage.Banner);

        Assert.Equal("online", online.GetProperty("state").GetString());
        Assert.Equal("mutual", chap.GetProperty("effective").GetString());
        Assert.True(chap.GetProperty("hasSecrets").GetBoolean());
        Assert.Contains(DemoImage.Banner, console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhereKvmGuestsHang_TheLabFallsBackToEmulation_SaysWhy_AndAVirtualPcBootsOnline()
    {
        using var tools = new TempDirectory();
        await using var app = new LabApp(("Lab:QemuPath", QemuStandIns.KvmGuestsHang(tools.Path)), ("Lab:Accelerator", "Auto"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());

        var boot = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1 });
        var id = (await boot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineIds")[0].GetInt32();
        var online = await api.WaitForAsync($"/api/v1/sessions/machine/{id}/active", s => s.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(120));
        var lab = await api.GetFromJsonAsync<JsonElement>("/api/v1/lab");
        var health = await api.GetStringAsync(new Uri("/api/v1/health/components", UriKind.Relative));
        var qemu = (await File.ReadAllTextAsync($"/proc/{await VirtualPcConsole.QemuPidAsync(app, id)}/cmdline")).Replace('\0', ' ');

        Assert.Equal(HttpStatusCode.Accepted, boot.StatusCode);
        Assert.Equal("online", online.GetProperty("state").GetString());
        Assert.Equal("tcg", lab.GetProperty("accelerator").GetString());
        Assert.Contains("emulation (TCG)", lab.GetProperty("sentence").GetString(), StringComparison.Ordinal);
        Assert.Contains("emulation (TCG)", health, StringComparison.Ordinal);
        Assert.Contains("-accel tcg", qemu, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVirtualPcWhoseConsoleStaysSilent_IsReportedWithASentence()
    {
        using var tools = new TempDirectory();
        await using var app = new LabApp(("Lab:QemuPath", QemuStandIns.Silent(tools.Path)), ("Lab:Accelerator", "Tcg"), ("Lab:SilentConsoleSeconds", "3"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = pc.GetProperty("id").GetInt32();

        (await api.PostAsync(new Uri($"/api/v1/machines/{id}/power-on", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var quiet = await api.GetFromJsonAsync<JsonElement>("/api/v1/lab");
        var lab = await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("warnings").TryGetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture), out _), TimeSpan.FromSeconds(30));

        Assert.False(quiet.GetProperty("warnings").TryGetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture), out _));
        Assert.Contains("console has printed nothing for", lab.GetProperty("warnings").GetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeVirtualPcs_BootOnline_PrintTheBannerFromTheirDisk_PowerOffGoesOffline_AndWakeOnLanBootsAgain()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());

        var boot = await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 3 });
        var ids = (await boot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineIds").EnumerateArray().Select(i => i.GetInt32()).ToList();
        var sessions = new List<JsonElement>();
        foreach (var id in ids)
        {
            sessions.Add(await api.WaitForAsync($"/api/v1/sessions/machine/{id}/active", s => s.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(120)));
        }
        var consoles = new List<string>();
        foreach (var id in ids)
        {
            consoles.Add(await VirtualPcConsole.WaitForAsync(api, id, DemoImage.Banner));
        }

        // The demo disk's boot sector reads through the firmware's login: its OS never takes the disk over.
        var afterBanner = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/machine/{ids[0]}/active");

        Assert.Equal(HttpStatusCode.Accepted, boot.StatusCode);
        Assert.Equal(JsonValueKind.Null, afterBanner.GetProperty("osTookOverAt").ValueKind);
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(consoles, console => Assert.Contains(DemoImage.Banner, console, StringComparison.Ordinal));
        Assert.All(consoles, console => Assert.Contains("iPXE", console, StringComparison.Ordinal));

        var first = ids[0];
        var off = await api.PostAsync(new Uri($"/api/v1/machines/{first}/power-off", UriKind.Relative), null);
        var machine = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{first}");
        var session = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/machine/{first}/active");
        var stillReady = await StaysAsync(api, $"/api/v1/sessions/machine/{first}/active", s => s.GetProperty("state").GetString() == "ready", TimeSpan.FromSeconds(3));
        var lab = await api.GetFromJsonAsync<JsonElement>("/api/v1/lab");
        var tapAfterPowerOff = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(
            CliWrap.Cli.Wrap("ip").WithArguments(["netns", "exec", app.Namespace, "ip", "link", "show", $"vpc{first}"]).WithValidation(CliWrap.CommandResultValidation.None));

        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Equal("offline", machine.GetProperty("bootStage").GetString());
        Assert.Equal("ready", session.GetProperty("state").GetString());
        Assert.True(stillReady, "After power-off the session came back online: the PC's disk connection was not dropped.");
        Assert.DoesNotContain(first, lab.GetProperty("poweredOn").EnumerateArray().Select(i => i.GetInt32()));
        Assert.NotEqual(0, tapAfterPowerOff.ExitCode);

        // "Wake" sends a magic packet on the lab network: the PC powers on and boots again.
        var wake = await (await api.PostAsJsonAsync("/api/v1/machines/wake", new { machineIds = new[] { first } })).Content.ReadFromJsonAsync<JsonElement>();
        var woken = await api.WaitForAsync($"/api/v1/sessions/machine/{first}/active", s => s.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(120));

        Assert.Equal(1, wake.GetProperty("done").GetInt32());
        Assert.Contains("10.99.0.255:9 on the lab network", wake.GetProperty("results")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(session.GetProperty("id").GetInt32(), woken.GetProperty("id").GetInt32());

        // A session stopped under a running PC: the PC shows Offline; booting the lab again restarts it into a new session.
        var second = ids[1];
        var stoppedId = sessions[1].GetProperty("id").GetInt32();
        (await api.PostAsync(new Uri($"/api/v1/sessions/{stoppedId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await api.WaitForSessionStateAsync(stoppedId, "stopped");
        var orphaned = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{second}");
        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 3 })).EnsureSuccessStatusCode();
        var rebooted = await api.WaitForAsync($"/api/v1/sessions/machine/{second}/active", s => s.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(120));

        Assert.Equal("offline", orphaned.GetProperty("bootStage").GetString());
        Assert.NotEqual(stoppedId, rebooted.GetProperty("id").GetInt32());

        // The lab's disks are qcow2 overlays served over FUSE (no reflink here); GGnet's stop, with its three PCs running, powers
        // them off and takes the exports down with the lab: no guest, daemon or network namespace is left.
        var overlays = Directory.GetFiles(Path.Combine(app.DataDirectory, "disks"), "session-*.qcow2");
        var runningAtStop = (await api.GetFromJsonAsync<JsonElement>("/api/v1/lab")).GetProperty("poweredOn").GetArrayLength();
        await app.StopAsync();

        Assert.Equal(3, runningAtStop);
        Assert.Empty(await app.LabProcessesAsync());
        Assert.False(File.Exists(app.NamespaceHandle), $"GGnet's stop left the lab network {app.Namespace} behind.");
        Assert.Equal(3, overlays.Length);
        Assert.DoesNotContain(Path.Combine(app.DataDirectory, "disks"), await File.ReadAllTextAsync("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerOn_BeyondTheLabsMaximum_IsRefusedWithASentence()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        var max = (await api.GetFromJsonAsync<JsonElement>("/api/v1/lab")).GetProperty("maxVirtualPcs").GetInt32();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i <= max; i++)
        {
            var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
            responses.Add(await api.PostAsync(new Uri($"/api/v1/machines/{pc.GetProperty("id").GetInt32()}/power-on", UriKind.Relative), null));
        }

        Assert.All(responses.Take(max), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.Conflict, responses[^1].StatusCode);
        Assert.Contains("Power one off first", (await responses[^1].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<bool> StaysAsync(HttpClient api, string path, Func<JsonElement, bool> condition, TimeSpan period)
    {
        var deadline = DateTime.UtcNow + period;
        while (DateTime.UtcNow < deadline)
        {
            if (!condition(await api.GetFromJsonAsync<JsonElement>(path)))
            {
                return false;
            }
            await Task.Delay(250);
        }
        return true;
    }
}
