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
        async Task<int> StartAsync()
        {
            var machine = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("seat"), macAddress = TestMacs.Next() }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            var session = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = machine, imageId }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            await admin.WaitForSessionStateAsync(session, "ready");
            return session;
        }
        var (first, second) = (await StartAsync(), await StartAsync());
        await using var browserContext = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenLiveAsAdminAsync(browserContext, "/sessions", GGnetAppFactory.AdminPassword);
        var stop = $"button[aria-label='Stop session {first}']";
        await page.Locator(stop).WaitForAsync(new() { Timeout = 30_000 });
        await page.EvalOnSelectorAsync(stop, "b => window.firstStop = b");

        (await admin.PostAsync(new Uri($"/api/v1/sessions/{second}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await page.Locator($"button[aria-label='Stop session {second}']").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });

        Assert.True(await page.EvaluateAsync<bool>("() => window.firstStop.isConnected"), "the first session's row was drawn anew when the second stopped");
        await page.ClickAsync(stop);
        await admin.WaitForSessionStateAsync(first, "stopped");
    }
}
