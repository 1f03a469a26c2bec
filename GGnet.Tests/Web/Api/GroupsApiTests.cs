using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Api;

/// <summary>Halls and rooms through the API: counted, renamed, deleted without losing a machine.</summary>
[Collection(WebAppTests.Name)]
public sealed class GroupsApiTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Fact]
    public async Task AGroup_IsListedWithItsMachineCount_Renamed_ThenDeleted_AndItsMachinesStayWithoutAGroup()
    {
        using var admin = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("hall");
        var id = await CreateGroupAsync(admin, name);
        var machines = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            machines.Add((await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("g"), macAddress = TestMacs.Next(), groupId = id })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }

        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/groups")).EnumerateArray().Single(g => g.GetProperty("id").GetInt32() == id);
        var renamed = await admin.PutAsJsonAsync($"/api/v1/groups/{id}", new { name = name + "-front", description = "by the door" });
        var renamedJson = await renamed.Content.ReadFromJsonAsync<JsonElement>();
        var deleted = await admin.DeleteAsync(new Uri($"/api/v1/groups/{id}", UriKind.Relative));
        var afterwards = await admin.GetFromJsonAsync<JsonElement>("/api/v1/groups");
        var machine = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{machines[0]}");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entityType=group&pageSize=500");

        Assert.Equal(2, listed.GetProperty("machineCount").GetInt32());
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(name + "-front", renamedJson.GetProperty("name").GetString());
        Assert.Equal("by the door", renamedJson.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(afterwards.EnumerateArray(), g => g.GetProperty("id").GetInt32() == id);
        Assert.Equal(JsonValueKind.Null, machine.GetProperty("groupId").ValueKind);
        var actions = audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("entityId").GetString() == id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["group.deleted", "group.renamed", "group.created"], actions);
    }

    [Fact]
    public async Task Rename_ToAnotherGroupsName_Is409_ABlankName_Is400_AnUnknownGroup_Is404()
    {
        using var admin = await app.CreateAdminClientAsync();
        var first = TestNames.Unique("room");
        await CreateGroupAsync(admin, first);
        var second = await CreateGroupAsync(admin, TestNames.Unique("room"));

        var clash = await admin.PutAsJsonAsync($"/api/v1/groups/{second}", new { name = first });
        var blank = await admin.PutAsJsonAsync($"/api/v1/groups/{second}", new { name = " " });
        var unknown = await admin.PutAsJsonAsync("/api/v1/groups/987654", new { name = "x" });

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Contains($"A group named '{first}' already exists.", await clash.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("A group name is required.", await blank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<int> CreateGroupAsync(HttpClient admin, string name) =>
        (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
}
