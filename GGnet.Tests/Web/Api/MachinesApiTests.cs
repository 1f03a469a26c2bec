using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Core.Domain;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Api;

[Collection(WebAppTests.Name)]
public sealed class MachinesApiTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Fact]
    public async Task Put_ChangingOnlyTheDescription_IsSaved_AndAudited()
    {
        using var client = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("desc");
        var mac = TestMacs.Next();
        var id = (await (await client.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = mac })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        (await client.PutAsJsonAsync($"/api/v1/machines/{id}", new { name, macAddress = mac, description = "seat 12, by the window" })).EnsureSuccessStatusCode();
        var machine = await client.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}");
        var audit = await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entityType=machine&search={Uri.EscapeDataString("seat 12")}");

        Assert.Equal("seat 12, by the window", machine.GetProperty("description").GetString());
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "machine.updated"
            && e.GetProperty("after").GetString()!.EndsWith("description=\"seat 12, by the window\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_ValidMachine_Returns201WithCanonicalCamelCaseJson()
    {
        using var client = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("PC");

        var response = await client.PostAsJsonAsync("/api/v1/machines", new
        {
            name, macAddress = "52-54-00-AB-CD-01", ipAddress = "10.99.0.21", firmware = "uefi",
            initiatorIqn = "iqn.2024-01.net.ggnet:pc", description = "seat 1",
        });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(name.ToLowerInvariant(), json.GetProperty("name").GetString());
        Assert.Equal("52:54:00:ab:cd:01", json.GetProperty("macAddress").GetString());
        Assert.Equal("10.99.0.21", json.GetProperty("ipAddress").GetString());
        Assert.Equal("uefi", json.GetProperty("firmware").GetString());
        Assert.Equal("idle", json.GetProperty("bootStage").GetString());
        Assert.Equal("wait", json.GetProperty("noSessionAction").GetString());
        Assert.True(json.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("lastSeen").ValueKind);
        Assert.Equal($"/api/v1/machines/{json.GetProperty("id").GetInt32()}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Post_DuplicateMacInAnotherSpelling_Returns409AndSavesNothing()
    {
        using var client = await app.CreateAdminClientAsync();
        await client.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("first"), macAddress = "52:54:00:dd:00:01" });

        var response = await client.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("second"), macAddress = "5254.00DD.0001" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/machines?search=52:54:00:dd:00:01");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("52:54:00:dd:00:01 already belongs to machine", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Post_DuplicateName_Returns409()
    {
        using var client = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("dup");
        await client.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = TestMacs.Next() });

        var response = await client.PostAsJsonAsync("/api/v1/machines", new { name = name.ToUpperInvariant(), macAddress = TestMacs.Next() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already exists", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_DuplicateFixedIp_Returns409()
    {
        using var client = await app.CreateAdminClientAsync();
        await client.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("ip"), macAddress = TestMacs.Next(), ipAddress = "10.99.0.77" });

        var response = await client.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("ip"), macAddress = TestMacs.Next(), ipAddress = "10.99.0.77" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("10.99.0.77 is already fixed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_InvalidFields_Returns400NamingEachField()
    {
        using var client = await app.CreateAdminClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/machines", new
        {
            name = "pc\"; chain http://evil", macAddress = "52:54:00:zz:00:01", ipAddress = "10.0.0.256",
            firmware = "bios; reboot", initiatorIqn = "iqn.2024-01.x:${y}",
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        foreach (var field in new[] { "name", "macAddress", "ipAddress", "firmware", "initiatorIqn" })
        {
            Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }
    }

    [Fact]
    public async Task Post_UnknownGroup_Returns400OnGroupId()
    {
        using var client = await app.CreateAdminClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("g"), macAddress = TestMacs.Next(), groupId = 9999 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("groupId", out _));
    }

    [Fact]
    public async Task Put_ChangesFields_AndGetReadsThemBack()
    {
        using var client = await app.CreateAdminClientAsync();
        var created = await (await client.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("edit"), macAddress = TestMacs.Next() }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();
        var group = await (await client.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("Hall A") })).Content.ReadFromJsonAsync<JsonElement>();

        var put = await client.PutAsJsonAsync($"/api/v1/machines/{id}", new
        {
            name = "renamed-" + id, macAddress = created.GetProperty("macAddress").GetString(), ipAddress = "10.99.1.5",
            firmware = "uefi", enabled = false, groupId = group.GetProperty("id").GetInt32(),
        });
        var read = await client.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("renamed-" + id, read.GetProperty("name").GetString());
        Assert.Equal("10.99.1.5", read.GetProperty("ipAddress").GetString());
        Assert.False(read.GetProperty("enabled").GetBoolean());
        Assert.Equal(group.GetProperty("id").GetInt32(), read.GetProperty("groupId").GetInt32());
    }

    [Fact]
    public async Task Get_UnknownId_Returns404WithASentence()
    {
        using var client = await app.CreateAdminClientAsync();

        var response = await client.GetAsync(new Uri("/api/v1/machines/987654", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no machine with id 987654", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PagesSortsAndFilters()
    {
        using var client = await app.CreateAdminClientAsync();
        var tag = "lst" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (suffix, ip) in new[] { ("c", "10.98.0.10"), ("a", "10.98.0.9"), ("b", "10.98.0.100") })
        {
            await client.PostAsJsonAsync("/api/v1/machines", new { name = $"{tag}-{suffix}", macAddress = TestMacs.Next(), ipAddress = ip });
        }

        var byName = await client.GetFromJsonAsync<JsonElement>($"/api/v1/machines?search={tag}&sortBy=name&pageSize=2");
        var byIpDescending = await client.GetFromJsonAsync<JsonElement>($"/api/v1/machines?search={tag}&sortBy=ipAddress&descending=true");
        var badSort = await client.GetAsync(new Uri("/api/v1/machines?sortBy=password", UriKind.Relative));

        Assert.Equal(3, byName.GetProperty("totalCount").GetInt32());
        Assert.Equal([$"{tag}-a", $"{tag}-b"], byName.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(["10.98.0.100", "10.98.0.10", "10.98.0.9"], byIpDescending.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("ipAddress").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
    }

    [Fact]
    public async Task Changes_WriteAuditEventsWithBeforeAndAfter()
    {
        using var client = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("aud");
        var created = await (await client.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();
        await client.PutAsJsonAsync($"/api/v1/machines/{id}", new { name, macAddress = created.GetProperty("macAddress").GetString(), firmware = "uefi" });
        await client.DeleteAsync(new Uri($"/api/v1/machines/{id}", UriKind.Relative));

        var audit = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=machine&pageSize=500");
        var events = audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("entityId").GetString() == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(["machine.deleted", "machine.updated", "machine.created"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e => Assert.Equal("admin", e.GetProperty("actor").GetString()));
        Assert.Contains("firmware=bios", events[1].GetProperty("before").GetString(), StringComparison.Ordinal);
        Assert.Contains("firmware=uefi", events[1].GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, events[0].GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task Viewer_CanReadButEveryWriteGets403()
    {
        using var admin = await app.CreateAdminClientAsync();
        var machine = await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("v"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>();
        var id = machine.GetProperty("id").GetInt32();
        using var viewer = await app.CreateClientWithRoleAsync(Roles.Viewer);

        var read = await viewer.GetAsync(new Uri($"/api/v1/machines/{id}", UriKind.Relative));
        var post = await viewer.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("v"), macAddress = TestMacs.Next() });
        var put = await viewer.PutAsJsonAsync($"/api/v1/machines/{id}", new { name = "hijack", macAddress = machine.GetProperty("macAddress").GetString() });
        var delete = await viewer.DeleteAsync(new Uri($"/api/v1/machines/{id}", UriKind.Relative));
        var group = await viewer.PostAsJsonAsync("/api/v1/groups", new { name = "viewer group" });
        var user = await viewer.PostAsJsonAsync("/api/v1/users", new { username = "x", password = "whatever-1", role = "Admin" });
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, group.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Equal(machine.GetProperty("name").GetString(), after.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Operator_CanWriteMachinesButNotUsers()
    {
        using var operatorClient = await app.CreateClientWithRoleAsync(Roles.Operator);

        var post = await operatorClient.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("op"), macAddress = TestMacs.Next() });
        var user = await operatorClient.PostAsJsonAsync("/api/v1/users", new { username = "y", password = "whatever-1", role = "Admin" });

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
    }
}
