using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using Microsoft.Playwright;

namespace GGnet.Tests.Web.Browser;

/// <summary>
/// Every page fits the usual admin screens: nothing scrolls sideways, no table is wider than its frame (so no button
/// hides off-screen), and a table's filters don't lie over its headers.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class PageFitBrowserTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    public static TheoryData<int, int> Screens => new() { { 1400, 900 }, { 1920, 1080 } };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task EveryPage_FitsTheScreen_WithAMachineRunningASession(int width, int height)
    {
        await RunningSessionAsync();
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/", GGnetAppFactory.AdminPassword, "[data-counter=Machines]");

        foreach (var (path, ready) in new[] { ("/", "[data-counter]"), ("/machines", "tbody tr.mud-table-row"), ("/images", "#images"), ("/sessions", "tbody tr.mud-table-row"), ("/audit", "tbody tr"), ("/settings", "h4"), ("/api-reference", "[data-api-group]") })
        {
            await page.GotoAsync(path);
            await page.Locator(ready).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
            await page.WaitForTimeoutAsync(300);
            await page.ScreenshotAsync(new() { Path = Artifacts.PathOf($"fit-{path.Trim('/') switch { "" => "dashboard", var p => p }}-{width}x{height}.png"), FullPage = true });
            await PageFit.AssertFitsAsync(page, $"{path} at {width}×{height}");
        }

        // The API reference is the app's own description of its calls, with who may make them.
        var start = page.Locator("[data-api-group='Sessions'] tr", new() { HasText = "Start a session;" });

        Assert.Contains("POST", await start.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("installFrom", await start.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("operator", await start.InnerTextAsync(), StringComparison.Ordinal);

        // Every page rendered: Blazor's per-component histograms stay out of /metrics (from loopback, no login needed).
        using var scraper = new HttpClient { BaseAddress = app.BaseAddress };
        var metrics = await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("http_server_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_components_render", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_components_update_parameters", metrics, StringComparison.Ordinal);
        Assert.InRange(metrics.Length, 1, 400_000);
    }

    // A machine with every column filled: a group, a fixed address, a running session.
    private async Task RunningSessionAsync()
    {
        using var api = await app.CreateApiClientAsync();
        if ((await api.GetFromJsonAsync<JsonElement>("/api/v1/sessions?activeOnly=true")).GetProperty("items").GetArrayLength() > 0)
        {
            return;
        }
        var group = (await (await api.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall-front") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var machine = (await (await api.PostAsJsonAsync("/api/v1/machines", new { name = "seat-17-front-row", macAddress = TestMacs.Next(), ipAddress = "10.99.0.217", groupId = group }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var image = (await (await api.PostAsJsonAsync("/api/v1/images/blank", new { name = TestNames.Unique("win11-cafe"), sizeGiB = 1 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var start = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = machine, imageId = image });
        await api.WaitForSessionStateAsync((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32(), "ready");
    }
}
