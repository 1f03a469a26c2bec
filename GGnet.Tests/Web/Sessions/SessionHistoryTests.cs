using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Sessions;

/// <summary>The session history's filters, through the API against the real database: group, image, type, since.</summary>
[Collection(WebAppTests.Name)]
public sealed class SessionHistoryTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task History_FiltersByGroupImageTypeAndStart_EachNarrowingToTheSessionsThatMatch()
    {
        using var admin = await app.CreateAdminClientAsync();
        var hallImage = await app.AddImageAsync(TestNames.Unique("hist"));
        var otherImage = await app.AddImageAsync(TestNames.Unique("hist"));
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hist") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var inHall = await MachineAsync(admin, groupId);
        var elsewhere = await MachineAsync(admin, null);
        var hallSession = await StartAsync(admin, inHall, hallImage);
        var otherSession = await StartAsync(admin, elsewhere, otherImage);
        var startedBefore = DateTime.UtcNow.AddMinutes(-5).ToString("O");
        var later = DateTime.UtcNow.AddMinutes(5).ToString("O");

        var byGroup = await IdsAsync(admin, $"groupId={groupId}");
        var byImage = await IdsAsync(admin, $"imageId={otherImage}");
        var maintenance = await IdsAsync(admin, $"imageId={hallImage}&type=maintenance");
        var recent = await IdsAsync(admin, $"since={Uri.EscapeDataString(startedBefore)}&pageSize=500");
        var future = await IdsAsync(admin, $"since={Uri.EscapeDataString(later)}");
        var badType = await admin.GetAsync(new Uri("/api/v1/sessions?type=weekly", UriKind.Relative));

        Assert.Equal([hallSession], byGroup);
        Assert.Equal([otherSession], byImage);
        Assert.Empty(maintenance);
        Assert.Contains(hallSession, recent);
        Assert.Contains(otherSession, recent);
        Assert.Empty(future);
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Contains("Type is one of: Normal, Maintenance.", await badType.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        (await admin.PostAsJsonAsync("/api/v1/sessions/stop-many", new { machineIds = new[] { inHall, elsewhere } })).EnsureSuccessStatusCode();
    }

    private static async Task<int> MachineAsync(HttpClient admin, int? groupId) =>
        (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("hist"), macAddress = TestMacs.Next(), groupId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

    private static async Task<int> StartAsync(HttpClient admin, int machineId, int imageId) =>
        (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

    private static async Task<List<int>> IdsAsync(HttpClient admin, string filter) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions?{filter}")).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetInt32()).ToList();
}
