using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Infrastructure.Lab;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;

namespace GGnet.Tests.Lab;

/// <summary>
/// Write space on a small real filesystem (XFS on a loop file, reflink clones): the real OS writes a file in a loop on its
/// session's copy of a library, over iSCSI. GGnet measures it, warns at 80 % of the image's quota, names the session as
/// the one writing most, and refuses further starts once the storage is past its limit. Past its image's write quota the
/// session is stopped, and the space its disk took comes back.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class WriteSpaceTests
{
    // The OS writes 1.1 GiB to its library copy under emulation: 3 min 53 s in a full CI run beside the other tests, and more
    // than 4 min in another (the guest's disk requests timing out after 30 s and retried); the whole test took 6 min 16 s
    // on a slower machine without KVM (2026-12-07), so it gets 9.
    private static readonly TimeSpan BootTime = TimeSpan.FromMinutes(9);

    [Fact]
    public async Task ARealOsFillingItsWriteSpace_IsNamedAsTheTopWriter_FurtherStartsAreRefused_AndPastItsQuotaItIsStopped_FreeingTheSpace()
    {
        await using var xfs = await XfsLoopFilesystem.CreateAsync(3L << 30);
        await using var app = new LabApp(xfs.MountPoint, ("Storage:WarnAbovePercent", "30"), ("Storage:RefuseAbovePercent", "40"), ("Storage:SessionSpaceSeconds", "5"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        // A library the OS fills: its file ggnet-fill-mib says how much to write.
        var fillId = await LabLibraries.ImportAsync(app, api, "fill", new Dictionary<string, string> { ["ggnet-fill-mib"] = "1104" }, size: "1400M");
        var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = pc.GetProperty("id").GetInt32();
        (await api.PutAsJsonAsync($"/api/v1/machines/{id}/data-images", new { imageIds = new[] { fillId } })).EnsureSuccessStatusCode();

        (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).EnsureSuccessStatusCode();
        // The console is read as its last lines: what the OS says of its disks is read at the fill's first line, whole,
        // before the fill's lines push it out.
        var disks = await VirtualPcConsole.WaitForAsync(api, id, "GGNET-REALOS-FILL wrote=", BootTime);
        var console = await VirtualPcConsole.WaitForAsync(api, id, RealOsImage.DataDisksMarker, BootTime);
        await File.WriteAllTextAsync(Artifacts.PathOf("write-space-console.txt"), disks + "\n…\n" + console);
        // Its disks are on the network: each waits 180 s for a request, so a slow moment of the server's is not a read error.
        Assert.Matches(@"GGNET-REALOS-ISCSI sessions=1 disk-timeouts=180\r?\n", disks);
        Assert.True(console.Contains("GGNET-REALOS-FILL wrote=1104", StringComparison.Ordinal),
            "the OS did not fill its library copy; its first disk troubles:\n" + FirstDiskTroubles(console) + "\n…its console's end:\n" + console[Math.Max(0, console.Length - 3000)..]);
        var systemId = (await api.GetFromJsonAsync<JsonElement>("/api/v1/images")).EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == RealOsImage.Name).GetProperty("id").GetInt32();
        var usage = await api.WaitForAsync("/api/v1/sessions/disk-usage",
            u => u.GetArrayLength() > 0 && u[0].GetProperty("ownBytes").GetInt64() >= 1100L << 20, TimeSpan.FromSeconds(60));
        var storage = await api.GetFromJsonAsync<JsonElement>("/api/v1/storage");
        var other = (await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var refused = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = other, imageId = systemId });
        var session = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/machine/{id}/active");

        // Past the write quota its image now gets, the session is warned about and stopped, and its disk's space comes back.
        (await api.PutAsJsonAsync($"/api/v1/images/{systemId}/session-quota", new { quotaGiB = 1 })).EnsureSuccessStatusCode();
        var sessionId = session.GetProperty("id").GetInt32();
        var ended = await api.WaitForSessionStateAsync(sessionId, "stopped", TimeSpan.FromSeconds(90));
        await api.WaitForAsync("/api/v1/storage", s => !s.GetProperty("refusesNewSessions").GetBoolean(), TimeSpan.FromSeconds(60));
        var warned = await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=session.space-low&pageSize=10");
        var stopped = await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=session.stop-requested&pageSize=10");

        Assert.Equal(sessionId, usage[0].GetProperty("sessionId").GetInt32());
        Assert.InRange(usage[0].GetProperty("ownBytes").GetInt64(), 1100L << 20, 1300L << 20);
        Assert.True(storage.GetProperty("refusesNewSessions").GetBoolean(), storage.ToString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("over the 40% limit: new sessions are refused", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(warned.GetProperty("items").EnumerateArray());
        var stop = Assert.Single(stopped.GetProperty("items").EnumerateArray());
        Assert.Equal("system", stop.GetProperty("actor").GetString());
        Assert.Matches(@"^wrote 1[12]\d\d MiB, more than its image's write quota of 1024 MiB: stopped", stop.GetProperty("after").GetString());
        Assert.Equal(stop.GetProperty("after").GetString(), ended.GetProperty("stopReason").GetString());
    }

    // Where a failed fill began (the console's end shows only how it ended): the guest kernel's first lines about its
    // iSCSI connection, timed-out commands and errors.
    private static string FirstDiskTroubles(string console) => string.Join('\n', console.Split('\n')
        .Where(line => line.Contains("connection", StringComparison.OrdinalIgnoreCase) || line.Contains("timing out", StringComparison.OrdinalIgnoreCase)
            || line.Contains("recovery", StringComparison.OrdinalIgnoreCase) || line.Contains("error", StringComparison.OrdinalIgnoreCase))
        .Take(20));
}
