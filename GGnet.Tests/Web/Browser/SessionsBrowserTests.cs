using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using Microsoft.Playwright;

namespace GGnet.Tests.Web.Browser;

/// <summary>The sessions list in the browser, against the real tgtd.</summary>
[Collection(WebAppTests.Name)]
public sealed class SessionsBrowserTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task TheSessionsList_KeepsASessionsStopButtonWhileAnotherSessionStops_AndOneClickStopsIt()
    {
        using var admin = await app.CreateApiClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        async Task<(int Session, string Machine)> StartAsync()
        {
            var name = TestNames.Unique("seat");
            var machine = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = TestMacs.Next() }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            var session = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = machine, imageId }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            await admin.WaitForSessionStateAsync(session, "ready");
            return (session, name);
        }
        // The list shows the newest first: the older session's row is below the one kept, and it leaves while the admin aims.
        var (older, newer) = (await StartAsync(), await StartAsync());
        await using var browserContext = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenLiveAsAdminAsync(browserContext, "/sessions", GGnetAppFactory.AdminPassword);
        var stop = $"button[aria-label='Stop session {newer.Session}']";
        await page.Locator(stop).WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator($"button[aria-label='Stop session {older.Session}']").WaitForAsync(new() { Timeout = 30_000 });
        await page.EvalOnSelectorAsync(stop, "b => window.keptStop = b");

        (await admin.PostAsync(new Uri($"/api/v1/sessions/{older.Session}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(older.Session, "stopped");
        await page.GetByText(older.Machine, new() { Exact = true }).WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });

        Assert.True(await page.EvaluateAsync<bool>("() => window.keptStop.isConnected"), "the kept session's row was drawn anew when the other left the list");
        await page.ClickAsync(stop);
        await admin.WaitForSessionStateAsync(newer.Session, "stopped");
    }
}
