using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Core.Storage;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Storage;

/// <summary>
/// Write quotas with real session disks and the real tgtd: what a session wrote is measured on its disk file, a session
/// at 80 % of its image's quota is warned about (audited, webhook), one past it on full copies only warned about (its
/// stop, where disks are clones or overlays, is OverQuotaTests'), and a start the storage can't hold is refused.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class SessionQuotaTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task ASessionThatWrote80PercentOfItsQuota_ShowsWhatItWrote_AndIsWarnedAboutOnce()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var quota = await admin.PutAsJsonAsync($"/api/v1/images/{imageId}/session-quota", new { quotaGiB = 1 });
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var sessionId = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var ready = await admin.WaitForSessionStateAsync(sessionId, "ready");
        var disk = (await app.Iscsi.ListTargetsAsync(CancellationToken.None)).Single(t => t.Target.Value == ready.GetProperty("targetIqn").GetString()).LunPaths[0];

        await MeasureAsync();
        var before = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{sessionId}");
        // What the PC writes lands in its disk file: 840 MiB of it.
        await using (var file = new FileStream(disk, FileMode.Open, FileAccess.Write))
        {
            file.Seek(0, SeekOrigin.End);
            var block = new byte[1 << 20];
            Random.Shared.NextBytes(block);
            for (var i = 0; i < 840; i++)
            {
                await file.WriteAsync(block);
            }
        }
        await MeasureAsync();
        await MeasureAsync();
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{sessionId}");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=session.space-low&pageSize=50");
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");

        Assert.Equal(1L << 30, (await quota.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionQuotaBytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("spaceLowAt").ValueKind);
        Assert.True(after.GetProperty("ownBytes").GetInt64() >= 840L << 20, after.ToString());
        Assert.Equal(JsonValueKind.String, after.GetProperty("spaceLowAt").ValueKind);
        Assert.Single(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("entityId").GetString() == sessionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WhereDisksAreFullCopies_ASessionPastItsQuota_IsWarnedAbout_NotStopped()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        (await admin.PutAsJsonAsync($"/api/v1/images/{imageId}/session-quota", new { quotaGiB = 1 })).EnsureSuccessStatusCode();
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var sessionId = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var ready = await admin.WaitForSessionStateAsync(sessionId, "ready");
        var disk = (await app.Iscsi.ListTargetsAsync(CancellationToken.None)).Single(t => t.Target.Value == ready.GetProperty("targetIqn").GetString()).LunPaths[0];

        // 1 GiB and 16 MiB in the disk file: with full copies what a disk takes holds the image too, so it is no measure of
        // what the PC wrote alone.
        await using (var file = new FileStream(disk, FileMode.Open, FileAccess.Write))
        {
            var block = new byte[1 << 20];
            Random.Shared.NextBytes(block);
            for (var i = 0; i < 1024 + 16; i++)
            {
                await file.WriteAsync(block);
            }
        }
        await MeasureAsync();
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{sessionId}");
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");

        Assert.Equal("ready", after.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.String, after.GetProperty("spaceLowAt").ValueKind);
    }

    [Fact]
    public async Task ABulkStart_NeedsRoomOnlyForTheSessionsThatWouldStart_NotForDisabledMachines()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        // A quota of 60 % of what is free beyond the reserve: one session fits, two do not.
        var free = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/storage")).GetProperty("freeBytes").GetInt64();
        var quotaGiB = (int)Math.Floor(((free >> 30) - 1) * 0.6);
        Assert.True(quotaGiB >= 1, $"{free >> 30} GiB free is too little for this test");
        (await admin.PutAsJsonAsync($"/api/v1/images/{imageId}/session-quota", new { quotaGiB })).EnsureSuccessStatusCode();
        var machineIds = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            machineIds.Add((await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next(), enabled = i == 0 }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }

        var response = await admin.PostAsJsonAsync("/api/v1/sessions/start-many", new { machineIds, imageId });
        var body = await response.Content.ReadAsStringAsync();
        var active = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/machine/{machineIds[0]}/active");
        var sessionId = active.GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(sessionId, "ready");
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");

        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(body, "is disabled\\. Enable it first\\."));
    }

    [Fact]
    public async Task AStartTheStorageCantHoldWithinTheQuotas_IsRefused_SayingWhatIsShort()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        (await admin.PutAsJsonAsync($"/api/v1/images/{imageId}/session-quota", new { quotaGiB = 1 << 20 })).EnsureSuccessStatusCode();
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var bad = await admin.PutAsJsonAsync($"/api/v1/images/{imageId}/session-quota", new { quotaGiB = 0 });

        var start = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
        (await admin.PutAsJsonAsync($"/api/v1/images/{imageId}/session-quota", new { quotaGiB = (int?)null })).EnsureSuccessStatusCode();
        var withoutQuota = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
        var sessionId = (await withoutQuota.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(sessionId, "ready");
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
        Assert.Contains("this one up to 1048576.0 GiB", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("short", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, withoutQuota.StatusCode);
    }

    private async Task MeasureAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MeasureSessionSpace>().ExecuteAsync(CancellationToken.None);
    }
}
