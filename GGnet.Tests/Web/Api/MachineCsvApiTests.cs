using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Api;

/// <summary>Machine lists in and out as CSV: all rows or none, each bad line reported; the export reads back.</summary>
[Collection(WebAppTests.Name)]
public sealed class MachineCsvApiTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Fact]
    public async Task Import_WithOneBadRow_ImportsNothing_AndSaysWhichLineAndWhy_ThenTheFixedFileImportsAll()
    {
        using var admin = await app.CreateAdminClientAsync();
        var group = TestNames.Unique("hall");
        (await admin.PostAsJsonAsync("/api/v1/groups", new { name = group })).EnsureSuccessStatusCode();
        var (a, b, c) = (TestNames.Unique("pc"), TestNames.Unique("pc"), TestNames.Unique("pc"));
        var (macA, macC) = (TestMacs.Next(), TestMacs.Next());
        string File(string badMac) => $"name,mac,ip,group,description\n{a},{macA},,{group},\"front row, left\"\n{b},{badMac},,,\n{c},{macC},,nosuchgroup,\n";
        var before = await CountAsync(admin);

        var refused = await ImportAsync(admin, File("52:54:00:zz:00:01"));
        var report = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var afterRefusal = await CountAsync(admin);
        var accepted = await ImportAsync(admin, File(TestMacs.Next()).Replace("nosuchgroup", group, StringComparison.Ordinal));
        var export = await admin.GetStringAsync("/api/v1/machines/export.csv");

        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Equal(0, report.GetProperty("imported").GetInt32());
        var lines = report.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(), r => string.Join(" ", r.GetProperty("problems").EnumerateArray().Select(p => p.GetString())));
        Assert.Equal([3, 4], lines.Keys.Order());
        Assert.Contains("is not a MAC address", lines[3], StringComparison.Ordinal);
        Assert.Contains("there is no group named 'nosuchgroup'", lines[4], StringComparison.Ordinal);
        Assert.Equal(before, afterRefusal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(3, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
        Assert.Equal(before + 3, await CountAsync(admin));
        Assert.StartsWith("name,mac,ip,group,firmware,description,enabled,persistent,initiator_iqn,script_transport,no_session_action", export, StringComparison.Ordinal);
        Assert.Contains($"{a},{macA.ToLowerInvariant()},,{group},bios,\"front row, left\",yes,no,,http,wait", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_DuplicatesInTheFile_OrOfExistingMachines_AreRejectedByLine()
    {
        using var admin = await app.CreateAdminClientAsync();
        var existing = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("old"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>());
        var mac = TestMacs.Next();
        var csv = $"name,mac\n{TestNames.Unique("x")},{mac}\n{TestNames.Unique("y")},{mac}\n{TestNames.Unique("z")},{existing.GetProperty("macAddress").GetString()}\n";

        var response = await ImportAsync(admin, csv);
        var rejected = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rejected").EnumerateArray().ToList();

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Contains("is already in this file", rejected.Single(r => r.GetProperty("line").GetInt32() == 3).GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("already belongs to machine", rejected.Single(r => r.GetProperty("line").GetInt32() == 4).GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WithAnUnknownColumn_OrForAViewer_IsRefused()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var viewer = await app.CreateClientWithRoleAsync("Viewer");

        var unknown = await ImportAsync(admin, "name,mac,colour\npc-1,52:54:00:00:00:09,red\n");
        var forbidden = await ImportAsync(viewer, "name,mac\npc-1,52:54:00:00:00:09\n");

        Assert.Equal((HttpStatusCode)422, unknown.StatusCode);
        Assert.Contains("Unknown column(s) colour", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string csv) =>
        await client.PostAsync(new Uri("/api/v1/machines/import", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"));

    private static async Task<int> CountAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/machines?pageSize=1")).GetProperty("totalCount").GetInt32();
}
