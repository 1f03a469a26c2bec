using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Images;

/// <summary>
/// A canary through the API, against the real tgtd and disk files: the group's PCs boot the new version at their next normal
/// session, every other PC the current one; ended, the group boots the current version again.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class CanaryApiTests(VersionsAppFactory app) : IClassFixture<VersionsAppFactory>
{
    [Fact]
    public async Task TheGroupsPcs_BootTheCanary_OthersTheCurrentVersion_UntilTheCanaryEnds()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("canary"));
        var group = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("Hall A") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var inGroup = await MachineAsync(admin, group);
        var other = await MachineAsync(admin, null);
        var v2 = await SecondVersionAsync(admin, imageId, inGroup);

        var started = await admin.PostAsJsonAsync($"/api/v1/images/{imageId}/versions/{v2}/canary", new { groupId = group });
        var image = await started.Content.ReadFromJsonAsync<JsonElement>();
        var onCanary = await BootedTextAsync(admin, inGroup, imageId);
        var onCurrent = await BootedTextAsync(admin, other, imageId);
        var maintenance = await StartAsync(admin, inGroup, imageId, "maintenance");
        var maintenanceVersion = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{maintenance}")).GetProperty("imageVersionId").GetInt32();
        await StopAsync(admin, maintenance);
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{maintenance}/discard", UriKind.Relative), null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal(v2, image.GetProperty("canary").GetProperty("versionId").GetInt32());
        Assert.Equal(group, image.GetProperty("canary").GetProperty("groupId").GetInt32());
        Assert.StartsWith("UPDATE-2", onCanary, StringComparison.Ordinal);
        Assert.StartsWith("GGNET-GOLDEN", onCurrent, StringComparison.Ordinal);
        // A maintenance session updates the current version, canary or not.
        Assert.Equal(image.GetProperty("currentVersionId").GetInt32(), maintenanceVersion);

        var ended = await admin.DeleteAsync(new Uri($"/api/v1/images/{imageId}/canary", UriKind.Relative));
        var afterEnd = await BootedTextAsync(admin, inGroup, imageId);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=image&pageSize=100");

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("canary").ValueKind);
        Assert.StartsWith("GGNET-GOLDEN", afterEnd, StringComparison.Ordinal);
        var actions = audit.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("entityId").GetString() == imageId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("image.canary-started", actions);
        Assert.Contains("image.canary-ended", actions);
    }

    [Fact]
    public async Task TheCurrentVersion_OrAnUnknownGroup_IsRefusedWithASentence()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("canary"));
        var group = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("Hall B") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var current = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/images/{imageId}")).GetProperty("currentVersionId").GetInt32();

        var ofCurrent = await admin.PostAsJsonAsync($"/api/v1/images/{imageId}/versions/{current}/canary", new { groupId = group });
        var noGroup = await admin.PostAsJsonAsync($"/api/v1/images/{imageId}/versions/{current}/canary", new { groupId = 999_999 });

        Assert.Equal(HttpStatusCode.Conflict, ofCurrent.StatusCode);
        Assert.Contains("is the current version already: every group boots it", await ofCurrent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noGroup.StatusCode);
        Assert.Contains("There is no group with id 999999.", await noGroup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // v2 holds UPDATE-2 (a maintenance session on the PC, committed); v1 is made current again, so v2 is a version nobody boots.
    private async Task<int> SecondVersionAsync(HttpClient admin, int imageId, int machineId)
    {
        var v1 = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/images/{imageId}")).GetProperty("currentVersionId").GetInt32();
        var maintenance = await StartAsync(admin, machineId, imageId, "maintenance");
        await using (var disk = new FileStream(DiskOf(maintenance), FileMode.Open, FileAccess.Write))
        {
            await disk.WriteAsync(Encoding.ASCII.GetBytes("UPDATE-2"));
        }
        await StopAsync(admin, maintenance);
        var v2 = (await (await admin.PostAsync(new Uri($"/api/v1/sessions/{maintenance}/commit", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("versionId").GetInt32();
        (await admin.PostAsync(new Uri($"/api/v1/images/{imageId}/versions/{v1}/make-current", UriKind.Relative), null)).EnsureSuccessStatusCode();
        return v2;
    }

    // What the disk of the PC's next normal session starts with.
    private async Task<string> BootedTextAsync(HttpClient admin, int machineId, int imageId)
    {
        var session = await StartAsync(admin, machineId, imageId, "normal");
        var bytes = await File.ReadAllBytesAsync(DiskOf(session));
        await StopAsync(admin, session);
        return Encoding.ASCII.GetString(bytes, 0, 12);
    }

    private string DiskOf(int sessionId) => Path.Combine(app.DiskDirectory, $"session-{sessionId}.img");

    private static async Task<int> MachineAsync(HttpClient admin, int? groupId) =>
        (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next(), groupId })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("id").GetInt32();

    private static async Task<int> StartAsync(HttpClient admin, int machineId, int imageId, string type)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(id, "ready");
        return id;
    }

    private static async Task StopAsync(HttpClient admin, int sessionId)
    {
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");
    }
}
