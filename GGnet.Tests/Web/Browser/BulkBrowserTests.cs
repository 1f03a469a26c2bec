using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Browser;

/// <summary>Opening time in Chromium: a group made and renamed, its sessions started in one go and watched going Ready; a CSV with one bad line.</summary>
[Collection(WebAppTests.Name)]
public sealed class BulkBrowserTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task Admin_AddsAGroup_RenamesIt_PicksIt_StartsItsSessions_AndWatchesThemGetReady_WithoutReload()
    {
        await app.AddImageAsync("hall-image");
        using var api = await app.CreateApiClientAsync();
        await using var context = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/machines", GGnetAppFactory.AdminPassword, "#add-machine");

        await page.ClickAsync("#groups-panel .mud-expand-panel-header");
        await page.Locator("#group-add").WaitForAsync(new() { Timeout = 10_000 });
        await page.ClickAsync("#group-add");
        await page.Locator("#group-name").WaitForAsync(new() { Timeout = 10_000 });
        await page.FillAsync("#group-name", "hall-b");
        await page.ClickAsync("#group-save");
        await page.Locator("#groups tr[data-group='hall-b']").WaitForAsync();
        await page.ClickAsync("#groups tr[data-group='hall-b'] button[aria-label='Rename group hall-b']");
        await page.FillAsync("#group-name", "hall-b-front");
        await page.ClickAsync("#group-save");
        await page.Locator("#groups tr[data-group='hall-b-front']").WaitForAsync();
        var group = (await api.GetFromJsonAsync<JsonElement>("/api/v1/groups")).EnumerateArray().Single(g => g.GetProperty("name").GetString() == "hall-b-front").GetProperty("id").GetInt32();
        for (var i = 1; i <= 3; i++)
        {
            (await api.PostAsJsonAsync("/api/v1/machines", new { name = $"hall-b-0{i}", macAddress = $"52:54:00:b0:00:0{i}", groupId = group })).EnsureSuccessStatusCode();
        }

        await page.ClickAsync("#machine-group-filter .mud-select");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "hall-b-front" }).ClickAsync();
        await page.Locator("#bulk-target", new() { HasText = "Group hall-b-front" }).WaitForAsync();
        await page.Locator("tbody tr.mud-table-row", new() { HasText = "hall-b-03" }).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("machines.png"), FullPage = true });
        await page.ClickAsync("#bulk-start");
        await page.ClickAsync("#start-confirm");
        await page.Locator("#bulk-summary", new() { HasText = "3 done, 0 not." }).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("bulk-start-progress.png"), FullPage = true });
        foreach (var name in new[] { "hall-b-01", "hall-b-02", "hall-b-03" })
        {
            await page.Locator($"#bulk-outcomes tr[data-machine='{name}']", new() { HasText = "Ready" }).WaitForAsync(new() { Timeout = 60_000 });
        }
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("bulk-start-ready.png"), FullPage = true });

        (await api.PostAsJsonAsync("/api/v1/sessions/stop-many", new { groupId = group })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Admin_ImportsACsvWithOneBadLine_SeesTheLineAndWhy_AndNothingIsAdded()
    {
        var csv = Path.Combine(app.DataDirectory, "hall-c.csv");
        await File.WriteAllTextAsync(csv, "name,mac,description\nhall-c-01,52:54:00:c0:00:01,front\nhall-c-02,52:54:00:zz:00:02,back\n");
        await using var context = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/machines", GGnetAppFactory.AdminPassword, "#import-csv");

        await page.ClickAsync("#import-csv");
        await page.Locator("#import-csv-file").WaitForAsync(new() { Timeout = 10_000 });
        await page.SetInputFilesAsync("#import-csv-file", csv);
        await page.Locator("#import-csv-start:not([disabled])").WaitForAsync();
        await page.ClickAsync("#import-csv-start");
        var bad = page.Locator("#import-csv-report tr[data-line='3']");
        await bad.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("machines-csv-import-report.png"), FullPage = true });

        Assert.Contains("is not a MAC address", await bad.InnerTextAsync(), StringComparison.Ordinal);
        using var api = await app.CreateApiClientAsync();
        var found = await api.GetFromJsonAsync<JsonElement>("/api/v1/machines?search=hall-c");
        Assert.Equal(0, found.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Dashboard_ShowsASessionStartedThroughTheApi_ItsStateLive_ThenSessionsAndHealthPages()
    {
        await app.AddImageAsync("dash-image");
        using var api = await app.CreateApiClientAsync();
        var machineId = (await (await api.PostAsJsonAsync("/api/v1/machines", new { name = "dash-01", macAddress = "52:54:00:d0:00:01" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var imageId = (await api.GetFromJsonAsync<JsonElement>("/api/v1/images")).EnumerateArray().First(i => i.GetProperty("name").GetString() == "dash-image").GetProperty("id").GetInt32();
        await using var context = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/", GGnetAppFactory.AdminPassword, "#tile-group");
        var tile = page.Locator(".ggnet-tile[data-machine='dash-01']");
        await tile.WaitForAsync();
        await page.EvaluateAsync("() => window.ggnetNoReload = 'still here'");

        var session = (await (await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await tile.Locator("text=Ready").WaitForAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("dashboard.png"), FullPage = true });
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.ggnetNoReload"));

        await page.GotoAsync("/sessions");
        await page.Locator("tbody tr.mud-table-row", new() { HasText = "dash-01" }).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("sessions.png"), FullPage = true });

        await page.GotoAsync("/settings");
        await page.Locator("#health tr[data-component='iSCSI'][data-level='green']").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("settings-health.png"), FullPage = true });

        (await api.PostAsync(new Uri($"/api/v1/sessions/{session}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
    }
}
