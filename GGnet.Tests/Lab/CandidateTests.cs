using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Infrastructure.Lab;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;
using Xunit.Abstractions;

namespace GGnet.Tests.Lab;

/// <summary>
/// Image updates tested before any PC gets them: a committed maintenance disk of the real OS is a candidate, test-booted by the
/// bench's headless QEMU PC (QEMU's restricted user network, the real tgtd of the lab behind its forward) with the firmware
/// of the image's PCs. A candidate whose boot loader was broken on purpose fails and never becomes current (tried on the PC's group
/// anyway, it is rolled back by itself); a good one passes against the current version's boot time and is made current in one call.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class CandidateTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootTime = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ABrokenBootLoader_FailsItsTestBoot_StaysACandidate_AndAsACanaryIsRolledBack_AGoodCandidate_PassesOnTheImagesUefiPc_AndIsMadeCurrentInOneCall()
    {
        // Full copies: a kept maintenance disk is a plain file whose boot sector the test can break.
        await using var app = new LabApp(("Storage:CloneStrategy", "Copy"));
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        // The lab's boot builds and imports the real OS; its BIOS PC is a PC of the image from then on.
        var boot = await (await api.PostAsJsonAsync("/api/v1/lab/boot", new { count = 1, image = "realos" })).Content.ReadFromJsonAsync<JsonElement>();
        var pc = boot.GetProperty("machineIds")[0].GetInt32();
        await LabSessions.StopActiveAsync(api, pc);
        (await api.PostAsync(new Uri($"/api/v1/machines/{pc}/power-off", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var imageId = (await api.GetFromJsonAsync<JsonElement>("/api/v1/images")).EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == RealOsImage.Name).GetProperty("id").GetInt32();
        var v1 = (await ImageAsync(api, imageId)).GetProperty("currentVersionId").GetInt32();

        // A maintenance disk whose first sector (the boot loader's) is zeroes, committed.
        var broken = await MaintenanceAsync(api, pc, imageId);
        await using (var disk = new FileStream(Path.Combine(app.DataDirectory, "disks", $"session-{broken}.img"), FileMode.Open, FileAccess.Write))
        {
            await disk.WriteAsync(new byte[512]);
        }
        var v2 = await CommitAsync(api, broken);
        var early = await MakeCurrentAsync(api, imageId, v2, null);
        var failed = await WaitForTestAsync(api, imageId, v2, "failed");
        var refused = await MakeCurrentAsync(api, imageId, v2, null);
        var audit = await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=image&pageSize=100");
        output.WriteLine($"v2: {failed.GetProperty("sentence").GetString()}");

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("is still in its test boot", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("The firmware could not boot its disk (\"Boot from SAN device 0x80 failed", failed.GetProperty("sentence").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("failed its test boot", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(v1, (await ImageAsync(api, imageId)).GetProperty("currentVersionId").GetInt32());
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), a => a.GetProperty("action").GetString() == "image.candidate-failed");

        // Tried on the PC's group anyway (with a reason), the broken v2 is the disk of the PC's next session: its firmware can't
        // boot it, and GGnet sends the group back to v1 by itself, saying why.
        var group = (await (await api.PostAsJsonAsync("/api/v1/groups", new { name = "hall-a" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var details = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{pc}");
        (await api.PutAsJsonAsync($"/api/v1/machines/{pc}", new { name = details.GetProperty("name").GetString(), macAddress = details.GetProperty("macAddress").GetString(), groupId = group }))
            .EnsureSuccessStatusCode();
        var tried = await api.PostAsJsonAsync($"/api/v1/images/{imageId}/versions/{v2}/canary", new { groupId = group, overrideReason = "the fix is tried on hall A first" });
        var onCanary = await LabSessions.StartAndPowerOnAsync(api, pc, imageId, "normal");
        var bootedVersion = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{onCanary}")).GetProperty("imageVersionId").GetInt32();
        await api.WaitForAsync($"/api/v1/images/{imageId}", i => i.GetProperty("canary").ValueKind == JsonValueKind.Null, BootTime);
        var rollback = (await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=image&pageSize=100")).GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("action").GetString() == "image.canary-rolled-back").GetProperty("after").GetString();
        (await api.PostAsync(new Uri($"/api/v1/machines/{pc}/power-off", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await LabSessions.StopActiveAsync(api, pc);
        output.WriteLine($"canary: {rollback}");

        Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
        Assert.Equal(v2, bootedVersion);
        Assert.Matches($@"^\S+ \(session {onCanary}\) did not boot {RealOsImage.Name} v2: .+\. Group 'hall-a' boots v1 again from its next sessions;", rollback);

        // The image's PC becomes a UEFI PC; an unchanged maintenance disk is committed: its test boot runs with OVMF, and the
        // current v1, never measured, is booted the same way to compare.
        var machine = await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{pc}");
        (await api.PutAsJsonAsync($"/api/v1/machines/{pc}", new { name = machine.GetProperty("name").GetString(), macAddress = machine.GetProperty("macAddress").GetString(), firmware = "uefi" }))
            .EnsureSuccessStatusCode();
        var good = await MaintenanceAsync(api, pc, imageId);
        var v3 = await CommitAsync(api, good);
        var passed = await WaitForTestAsync(api, imageId, v3, "passed");
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/images/{imageId}/versions/{v3}/test");
        var screen = await api.GetAsync(new Uri($"/api/v1/images/{imageId}/versions/{v3}/test-screen", UriKind.Relative));
        output.WriteLine($"v3: {passed.GetProperty("sentence").GetString()}");

        Assert.Matches(@"^Its OS took over its disk \d+\.\d s after power-on \(UEFI; the current v1: \d+\.\d s\)\.$", passed.GetProperty("sentence").GetString());
        Assert.True(passed.GetProperty("bootSeconds").GetDouble() > 0);
        // The console holds the OS's own login to its test target.
        Assert.Matches(@"iscsistart: Logging into iqn\.[^ ]+:trial\.\d+ 10\.0\.2\.100:3260", detail.GetProperty("console").GetString());
        Assert.Equal(HttpStatusCode.OK, screen.StatusCode);
        Assert.Equal("image/png", screen.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await screen.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal("passed", (await ImageAsync(api, imageId)).VersionBy("id", v1).GetProperty("test").GetProperty("state").GetString());

        var made = await MakeCurrentAsync(api, imageId, v3, null);

        Assert.Equal(HttpStatusCode.NoContent, made.StatusCode);
        Assert.Equal(v3, (await ImageAsync(api, imageId)).GetProperty("currentVersionId").GetInt32());
        // Nothing of the test boots is left: no target, no disk.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "disks"), "trial-*"));
    }

    // A maintenance session that is started and stopped without its PC booting: its disk is kept, waiting to be committed.
    private static async Task<int> MaintenanceAsync(HttpClient api, int machineId, int imageId)
    {
        var start = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type = "maintenance" });
        Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.WaitForSessionStateAsync(id, "ready");
        (await api.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await api.WaitForSessionStateAsync(id, "stopped");
        return id;
    }

    private static async Task<int> CommitAsync(HttpClient api, int sessionId)
    {
        var commit = await api.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/commit", UriKind.Relative), null);
        Assert.True(commit.IsSuccessStatusCode, await commit.Content.ReadAsStringAsync());
        return (await commit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionId").GetInt32();
    }

    private static Task<HttpResponseMessage> MakeCurrentAsync(HttpClient api, int imageId, int versionId, string? overrideReason) =>
        overrideReason is null
            ? api.PostAsync(new Uri($"/api/v1/images/{imageId}/versions/{versionId}/make-current", UriKind.Relative), null)
            : api.PostAsJsonAsync($"/api/v1/images/{imageId}/versions/{versionId}/make-current", new { overrideReason });

    private static async Task<JsonElement> WaitForTestAsync(HttpClient api, int imageId, int versionId, string state)
    {
        var test = (await api.WaitForTestBootEndAsync(imageId, "id", versionId, BootTime * 2)).GetProperty("test");
        Assert.True(test.GetProperty("state").GetString() == state, $"the test boot {test.GetProperty("state").GetString()}: {test.GetProperty("sentence").GetString()}");
        return test;
    }

    private static Task<JsonElement> ImageAsync(HttpClient api, int imageId) => api.GetFromJsonAsync<JsonElement>($"/api/v1/images/{imageId}");
}
