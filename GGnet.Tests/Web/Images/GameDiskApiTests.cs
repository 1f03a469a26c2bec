using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Images;

/// <summary>
/// Game disks through the API, with the real qemu-img and tgtd: a data image attached to a group is copied for each
/// session of its machines and served on the LUN after the system disk; every refusal says what to do.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class GameDiskApiTests(ImageAppFactory app) : IClassFixture<ImageAppFactory>
{
    [Fact]
    public async Task ADataImageOfAGroup_IsCopiedForEachSessionOfItsMachines_OnTheLunAfterTheDisk_HookedByTheScript_AndRemovedAtTheStop()
    {
        using var admin = await app.CreateAdminClientAsync();
        var systemId = await ImportAsync(admin, "win11");
        var gamesId = await ImportAsync(admin, "games");
        var kind = await admin.PutAsJsonAsync($"/api/v1/images/{gamesId}/kind", new { kind = "data" });
        var group = await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall") })).Content.ReadFromJsonAsync<JsonElement>();
        var groupId = group.GetProperty("id").GetInt32();
        var attached = await admin.PutAsJsonAsync($"/api/v1/groups/{groupId}/data-images", new { imageIds = new[] { gamesId } });
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next(), groupId }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var started = await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = systemId })).Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = started.GetProperty("id").GetInt32();
        var ready = await admin.WaitForSessionStateAsync(sessionId, "ready");
        var target = (await app.Iscsi.ListTargetsAsync(CancellationToken.None)).Single(t => t.Target.Value == ready.GetProperty("targetIqn").GetString());
        var script = await admin.GetStringAsync(new Uri($"/api/v1/sessions/machine/{machineId}/boot-script", UriKind.Relative));
        var games = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/images/{gamesId}");
        var dataDisk = Path.Combine(app.DiskDirectory, $"session-{sessionId}-data-1.img");

        Assert.Equal("data", (await kind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString());
        Assert.Equal([gamesId], (await attached.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dataImageIds").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal([games.GetProperty("currentVersionId").GetInt32()], ready.GetProperty("dataImageVersionIds").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([Path.Combine(app.DiskDirectory, $"session-{sessionId}.img"), dataDisk], target.LunPaths);
        Assert.True(File.Exists(dataDisk));
        Assert.Contains($"sanhook --drive 0x81 --no-describe iscsi:", script, StringComparison.Ordinal);
        Assert.Contains($":::2:{target.Target} || goto no-data-disk", script, StringComparison.Ordinal);

        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");

        Assert.False(File.Exists(dataDisk));
        Assert.DoesNotContain(await app.Iscsi.ListTargetsAsync(CancellationToken.None), t => t.Target == target.Target);
    }

    [Fact]
    public async Task Refusals_SayWhatToDo_AndChangeNothing()
    {
        using var admin = await app.CreateAdminClientAsync();
        var systemId = await ImportAsync(admin, "win11");
        var gamesId = await ImportAsync(admin, "games");
        (await admin.PutAsJsonAsync($"/api/v1/images/{gamesId}/kind", new { kind = "data" })).EnsureSuccessStatusCode();
        var machine = await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>();
        var machineId = machine.GetProperty("id").GetInt32();
        (await admin.PutAsJsonAsync($"/api/v1/machines/{machineId}/data-images", new { imageIds = new[] { gamesId } })).EnsureSuccessStatusCode();

        var bootTheData = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = gamesId });
        var attachTheSystem = await admin.PutAsJsonAsync($"/api/v1/machines/{machineId}/data-images", new { imageIds = new[] { gamesId, systemId } });
        var tooMany = await admin.PutAsJsonAsync($"/api/v1/machines/{machineId}/data-images", new { imageIds = Enumerable.Range(gamesId, 9).ToArray() });
        var makeItSystem = await admin.PutAsJsonAsync($"/api/v1/images/{gamesId}/kind", new { kind = "system" });
        var delete = await admin.DeleteAsync(new Uri($"/api/v1/images/{gamesId}", UriKind.Relative));
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{machineId}");
        var image = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/images/{gamesId}");

        Assert.Equal(HttpStatusCode.Conflict, bootTheData.StatusCode);
        Assert.Contains("is a data image", await bootTheData.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, attachTheSystem.StatusCode);
        Assert.Contains("is a system image: PCs boot it", await attachTheSystem.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("at most 8 data images", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, makeItSystem.StatusCode);
        Assert.Contains($"is attached as a data disk to machine '{machine.GetProperty("name").GetString()}'", await makeItSystem.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal([gamesId], after.GetProperty("dataImageIds").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal("data", image.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task ADataImagesMaintenance_BootsACopyOfTheChosenSystem_WithTheDataImagesDiskBeside_AndItsCommitIsTheDataImagesNextVersion()
    {
        using var admin = await app.CreateAdminClientAsync();
        var systemId = await ImportAsync(admin, "win11");
        var gamesId = await ImportAsync(admin, "games");
        (await admin.PutAsJsonAsync($"/api/v1/images/{gamesId}/kind", new { kind = "data" })).EnsureSuccessStatusCode();
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var normal = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = gamesId });
        var withoutSystem = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = gamesId, type = "maintenance" });
        var withData = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = gamesId, type = "maintenance", bootWith = gamesId });
        var bootWithOnSystem = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = systemId, type = "maintenance", bootWith = systemId });
        var started = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = gamesId, type = "maintenance", bootWith = systemId });
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var ready = await admin.WaitForSessionStateAsync(sessionId, "ready");
        var target = (await app.Iscsi.ListTargetsAsync(CancellationToken.None)).Single(t => t.Target.Value == ready.GetProperty("targetIqn").GetString());
        var script = await admin.GetStringAsync(new Uri($"/api/v1/sessions/machine/{machineId}/boot-script", UriKind.Relative));
        var system = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/images/{systemId}");
        var ownDisk = Path.Combine(app.DiskDirectory, $"session-{sessionId}.img");
        var systemCopy = Path.Combine(app.DiskDirectory, $"session-{sessionId}-data-1.img");

        Assert.Equal(HttpStatusCode.Conflict, normal.StatusCode);
        Assert.Contains("start a maintenance session of it that boots a system image beside it", await normal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutSystem.StatusCode);
        Assert.Contains("Choose the system image the PC boots", await withoutSystem.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withData.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bootWithOnSystem.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(system.GetProperty("currentVersionId").GetInt32(), ready.GetProperty("systemCopyVersionId").GetInt32());
        Assert.Equal([ownDisk, systemCopy], target.LunPaths);
        Assert.Contains($"sanhook --drive 0x81 --no-describe iscsi:", script, StringComparison.Ordinal);
        Assert.Contains($":::1:{target.Target} || goto no-data-disk", script, StringComparison.Ordinal);
        Assert.Contains($":::2:{target.Target} || set ggnet-error", script, StringComparison.Ordinal);

        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");
        var commit = await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/commit", UriKind.Relative), null);
        var games = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/images/{gamesId}");

        Assert.False(File.Exists(systemCopy));
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal(2, (await commit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32());
        Assert.Equal("data", games.GetProperty("kind").GetString());
        Assert.Equal(2, games.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("current").GetBoolean()).GetProperty("number").GetInt32());
    }

    private async Task<int> ImportAsync(HttpClient admin, string name)
    {
        var file = await app.DropAsync("raw", 4);
        var image = await (await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique(name), file })).Content.ReadFromJsonAsync<JsonElement>();
        var id = image.GetProperty("id").GetInt32();
        await admin.WaitForAsync($"/api/v1/images/{id}", i => i.GetProperty("versions")[0].GetProperty("status").GetString() == "ready");
        return id;
    }
}
