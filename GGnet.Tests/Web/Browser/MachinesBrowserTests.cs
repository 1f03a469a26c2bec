using System.Text.Json;
using System.Net.Http.Json;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GGnet.Tests.Web.Browser;

[Collection(WebAppTests.Name)]
public sealed class MachinesBrowserTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task Admin_LogsInAddsAMachine_AndSeesItInTheGrid()
    {
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await browserContext.NewPageAsync();

        await page.GotoAsync("/machines");
        await page.WaitForURLAsync("**/login**");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", GGnetAppFactory.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync("**/machines");

        await OpenAddDialogAsync(page);
        await page.FillAsync("#machine-name", "Hall-A-01");
        await page.FillAsync("#machine-mac", "52-54-00-12-34-56");
        await page.FillAsync("#machine-ip", "10.99.0.31");
        await page.ClickAsync("#machine-save");

        var row = page.Locator("tbody tr.mud-table-row", new() { HasText = "hall-a-01" });
        await row.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains("52:54:00:12:34:56", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("10.99.0.31", await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("machines.png"), FullPage = true });
    }

    [Fact]
    public async Task Admin_LogsIn_LogsOut_AndTheNextPageAsksForTheLoginAgain()
    {
        // Sign-in has a request accessor of its own: with ASP.NET Core's registered, no request's context would be reused.
        Assert.Null(app.Services.GetService<Microsoft.AspNetCore.Http.IHttpContextAccessor>());
        await using var browserContext = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(browserContext, "/images", GGnetAppFactory.AdminPassword, "#blank-image");
        Assert.Contains(await browserContext.CookiesAsync(), c => c.Name == GGnet.Web.Auth.AuthSetup.CookieName);

        await page.ClickAsync("form[action='/logout'] button");
        await page.WaitForURLAsync("**/login**");
        await page.GotoAsync("/machines");
        await page.WaitForURLAsync("**/login**");

        Assert.DoesNotContain(await browserContext.CookiesAsync(), c => c.Name == GGnet.Web.Auth.AuthSetup.CookieName);
    }

    [Fact]
    public async Task APageBeforeItIsLive_TakesNoClicks_AndShowsItIsOnItsWay_ThenItsButtonsWork()
    {
        await using var browserContext = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        // Without Blazor's script the page stays as the server first drew it, before its live connection.
        await browserContext.RouteAsync("**/_framework/blazor.web*.js", route => route.AbortAsync());
        var page = await browserContext.NewPageAsync();
        await page.GotoAsync("/machines");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", GGnetAppFactory.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync("**/machines");

        await page.Locator(".ggnet-waking-bar").WaitForAsync(new() { Timeout = 5_000 });
        Assert.Equal("true", await page.Locator(".mud-layout").GetAttributeAsync("aria-busy"));
        Assert.Equal("progress", await page.Locator(".mud-layout").EvaluateAsync<string>("e => getComputedStyle(e).cursor"));
        // A trial click waits until the button would take the click: it never does while the page is not live.
        var refused = await Assert.ThrowsAsync<TimeoutException>(() => page.ClickAsync("#add-machine", new() { Trial = true, Timeout = 1_500 }));
        Assert.Contains("pointer events", refused.Message, StringComparison.Ordinal);

        await browserContext.UnrouteAllAsync();
        await page.ReloadAsync();
        await OpenAddDialogAsync(page);
        Assert.Equal(0, await page.Locator(".ggnet-waking-bar").CountAsync());
        Assert.Equal("false", await page.Locator(".mud-layout").GetAttributeAsync("aria-busy"));
        Assert.False(await page.Locator("#blazor-error-ui").IsVisibleAsync());
    }

    [Fact]
    public async Task APageWhoseLiveConnectionCannotStart_SaysSoAfter15Seconds_WithAWayToReload()
    {
        await using var browserContext = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(browserContext, "/images", GGnetAppFactory.AdminPassword, "#blank-image");
        Assert.False(await page.Locator("#page-not-live").IsVisibleAsync());
        // As a proxy that does not pass WebSockets: the page is drawn, its live connection never starts.
        await browserContext.RouteAsync("**/_blazor**", route => route.AbortAsync());

        await page.ReloadAsync();
        var notice = page.Locator("#page-not-live");
        Assert.False(await notice.IsVisibleAsync());
        await notice.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 30_000 });
        Assert.Contains("blocks WebSockets", await notice.InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await page.Locator("#blazor-error-ui").IsVisibleAsync());

        await browserContext.UnrouteAllAsync();
        await notice.Locator("a").ClickAsync();
        await page.Locator("#blank-image:not([disabled])").WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal(0, await page.Locator("#page-not-live").CountAsync());
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsASentence()
    {
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await browserContext.NewPageAsync();

        await page.GotoAsync("/login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#login-submit");

        var error = page.Locator("#login-error");
        await error.WaitForAsync(new() { Timeout = 10_000 });
        Assert.Equal("The user name or password is wrong.", (await error.InnerTextAsync()).Trim());
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("login-error.png") });
    }

    [Fact]
    public async Task Admin_SeesAnUnknownPcThatBooted_ApprovesIt_AndSeesItsBootScript()
    {
        using var pc = new HttpClient { BaseAddress = app.BaseAddress };
        (await pc.GetAsync(new Uri("/boot/52-54-00-77-00-01.ipxe?platform=pcbios", UriKind.Relative))).EnsureSuccessStatusCode();
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await LogInAsync(browserContext, "/machines");

        var approve = page.Locator("button[aria-label='Approve 52:54:00:77:00:01']");
        await approve.WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("discovered.png"), FullPage = true });
        await page.ClickAsync("button[aria-label='Approve 52:54:00:77:00:01']");
        await page.Locator("tbody tr.mud-table-row:has-text('pc-525400770001')").WaitForAsync(new() { Timeout = 10_000 });
        await page.ClickAsync("button[aria-label='Boot script of pc-525400770001']");
        var script = page.Locator("#boot-script");
        await script.WaitForAsync(new() { Timeout = 10_000 });

        Assert.Contains("has no session yet", await script.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("boot-script.png") });
    }

    [Fact]
    public async Task Settings_ShowsTheBootNetworkAndDhcpStatus()
    {
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await LogInAsync(browserContext, "/settings");

        var panel = page.Locator("#boot-network");
        await panel.WaitForAsync(new() { Timeout = 15_000 });
        await page.Locator("#dhcp-status").WaitForAsync(new() { Timeout = 15_000 });

        Assert.Contains("10.99.0.1 on br0", await panel.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("dhcpd", await page.Locator("#dhcp-status").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("settings.png"), FullPage = true });
    }

    [Fact]
    public async Task Operator_StartsASession_AndWatchesThePcGoOnline_WithoutReload()
    {
        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        await app.AddImageAsync("win11-demo");
        var mac = TestMacs.Next();
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1500, Height = 900 } });
        var page = await LogInAsync(browserContext, "/machines");
        await OpenAddDialogAsync(page);
        await page.FillAsync("#machine-name", "seat-01");
        await page.FillAsync("#machine-mac", mac);
        await page.ClickAsync("#machine-save");
        await page.Locator("tbody tr.mud-table-row:has-text('seat-01')").WaitForAsync(new() { Timeout = 15_000 });

        await page.ClickAsync("button[aria-label='Start session of seat-01']");
        await page.Locator("#start-confirm").WaitForAsync();
        await page.ClickAsync("#start-confirm");
        var row = page.Locator("tbody tr.mud-table-row:has-text('seat-01')");
        await row.Locator("text=Ready").WaitForAsync(new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("session-ready.png"), FullPage = true });

        // The "PC": an iSCSI initiator logging in with the machine's initiator name, as its iPXE would.
        var sessionId = await SessionIdOfAsync(app, "seat-01");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var pc = CliWrap.Cli.Wrap("/usr/bin/iscsi-perf")
            .WithArguments(["-i", "iqn.2024-01.net.ggnet:initiator." + mac.Replace(":", "", StringComparison.Ordinal), "-m", "1", $"iscsi://127.0.0.1:{app.Tgtd.IscsiPort}/iqn.2024-01.net.ggnet:session.{sessionId}/1"])
            .WithValidation(CliWrap.CommandResultValidation.None)
            .ExecuteAsync(stop.Token);
        await row.Locator("text=Online").First.WaitForAsync(new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("session-online.png"), FullPage = true });
        await stop.CancelAsync();
        try
        {
            await pc;
        }
        catch (OperationCanceledException)
        {
        }

        // Both the PC's boot stage and its session show Online, pushed to the open page without a reload.
        Assert.Equal(2, await row.Locator("text=Online").CountAsync());
    }

    [Fact]
    public async Task Admin_RevokesAnApiToken_OnTheSettingsPage_AndItStopsWorking()
    {
        using var issuer = new HttpClient { BaseAddress = app.BaseAddress };
        var issued = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(issuer, "/api/v1/auth/token",
            new { username = "admin", password = GGnetAppFactory.AdminPassword, label = "café till" });
        var token = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(issued.Content)).GetProperty("token").GetString()!;
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await LogInAsync(browserContext, "/settings");

        var row = page.Locator("#api-token-list tr", new() { HasText = "café till" });
        await row.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains(token[..6], await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("#api-token-list tr:has-text('café till') .token-revoke");
        await page.Locator(".mud-dialog button:has-text('Revoke')").WaitForAsync(new() { Timeout = 10_000 });
        await page.ClickAsync(".mud-dialog button:has-text('Revoke')");
        await row.Locator(".token-state:has-text('revoked')").WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("settings-tokens.png"), FullPage = true });

        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/machines", UriKind.Relative))).StatusCode);
        Assert.Equal(0, await row.Locator(".token-revoke").CountAsync());
    }

    [Fact]
    public async Task Admin_DisablesAUser_GivesThemANewPassword_AndEnablesThemAgain_OnTheSettingsPage()
    {
        using var issuer = new HttpClient { BaseAddress = app.BaseAddress };
        using var admin = new HttpClient { BaseAddress = app.BaseAddress };
        var issued = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(issuer, "/api/v1/auth/token", new { username = "admin", password = GGnetAppFactory.AdminPassword });
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(issued.Content)).GetProperty("token").GetString());
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(admin, "/api/v1/users", new { username = "till-staff", password = "till-pass-1", role = "Operator" })).EnsureSuccessStatusCode();
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await LogInAsync(browserContext, "/settings");
        var row = page.Locator("tr.user-row[data-user='till-staff']");
        await row.WaitForAsync(new() { Timeout = 15_000 });

        await page.ClickAsync("tr.user-row[data-user='till-staff'] .user-toggle");
        await page.Locator("tr.user-row[data-user='till-staff'] .user-status:has-text('Disabled')").WaitForAsync(new() { Timeout = 10_000 });
        var whileDisabled = await LoginStatusAsync(issuer, "till-pass-1");
        await page.ClickAsync("tr.user-row[data-user='till-staff'] .user-password");
        await page.Locator(".user-new-password input").FillAsync("fresh-pass-7");
        await page.ClickAsync(".user-password-save");
        await page.ClickAsync("tr.user-row[data-user='till-staff'] .user-toggle");
        await row.Locator(".user-status:has-text('Active')").WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("settings-users.png"), FullPage = true });

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, whileDisabled);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await LoginStatusAsync(issuer, "till-pass-1"));
        Assert.Equal(System.Net.HttpStatusCode.OK, await LoginStatusAsync(issuer, "fresh-pass-7"));
    }

    [Fact]
    public async Task ALoggedInBrowser_ChangesNothingThroughTheApi_WithoutGGnetsOwnHeader()
    {
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        await LogInAsync(browserContext, "/settings");

        // What another site's page can make the browser send: the cookie goes along, a header of GGnet's own can't.
        var forged = await browserContext.APIRequest.PostAsync("/api/v1/backups");
        var fromGGnet = await browserContext.APIRequest.PostAsync("/api/v1/backups", new() { Headers = new Dictionary<string, string> { ["X-GGnet-Request"] = "1" } });
        var reading = await browserContext.APIRequest.GetAsync("/api/v1/backups");

        Assert.Equal(400, forged.Status);
        Assert.Contains("X-GGnet-Request", await forged.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(201, fromGGnet.Status);
        Assert.Equal(200, reading.Status);
    }

    private static async Task<System.Net.HttpStatusCode> LoginStatusAsync(HttpClient client, string password) =>
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/api/v1/auth/token", new { username = "till-staff", password })).StatusCode;

    private static async Task<int> SessionIdOfAsync(BrowserAppFactory app, string machineName)
    {
        await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<GGnet.Infrastructure.Persistence.GGnetDbContext>>().CreateDbContextAsync();
        var machine = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Machines, m => m.Name == GGnet.Core.Domain.Hostname.Parse(machineName));
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.MaxAsync(db.Sessions.Where(s => s.MachineId == machine.Id), s => s.Id);
    }

    [Fact]
    public async Task ALiveUpdate_RedrawsWhatChangedInsideTheRows_SoAClickDuringItIsNotLost_AndATickedRowStaysTicked()
    {
        using var admin = await app.CreateApiClientAsync();
        var hall = TestNames.Unique("live");
        var (steady, changing) = (hall + "-steady", hall + "-changing");
        await admin.PostAsJsonAsync("/api/v1/machines", new { name = steady, macAddress = TestMacs.Next() });
        var changingId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = changing, macAddress = TestMacs.Next() }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await using var browserContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await BrowserLogin.OpenLiveAsAdminAsync(browserContext, "/machines", GGnetAppFactory.AdminPassword);
        await page.FillAsync("#machine-search", hall);
        var steadyRow = page.Locator($"tbody tr.mud-table-row:has-text('{steady}')");
        await steadyRow.WaitForAsync(new() { Timeout = 15_000 });
        await steadyRow.Locator("input[type=checkbox]").CheckAsync();
        // The buttons as the browser holds them now: a row drawn anew would leave these out of the page.
        await page.EvalOnSelectorAsync($"button[aria-label='Start session of {steady}']", "b => window.steadyStart = b");
        await page.EvalOnSelectorAsync($"button[aria-label='Start session of {changing}']", "b => window.changingStart = b");

        var newMac = TestMacs.Next();
        (await admin.PutAsJsonAsync($"/api/v1/machines/{changingId}", new { name = changing, macAddress = newMac })).EnsureSuccessStatusCode();
        await page.Locator($"tbody tr.mud-table-row:has-text('{newMac}')").WaitForAsync(new() { Timeout = 15_000 });

        Assert.True(await page.EvaluateAsync<bool>("() => window.steadyStart.isConnected"), "the steady PC's row was drawn anew by the other PC's news");
        Assert.True(await page.EvaluateAsync<bool>("() => window.changingStart.isConnected"), "the changed PC's row was drawn anew by its own news");
        Assert.True(await steadyRow.Locator("input[type=checkbox]").IsCheckedAsync());
        // The button kept is the live one: a click on it opens the changed PC's start.
        await page.EvaluateAsync("() => window.changingStart.click()");
        await page.GetByText($"Start a session on {changing}").WaitForAsync(new() { Timeout = 10_000 });
    }

    private static async Task<IPage> LogInAsync(IBrowserContext browserContext, string path)
    {
        var page = await browserContext.NewPageAsync();
        await page.GotoAsync(path);
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", GGnetAppFactory.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync("**" + path);
        return page;
    }

    // The page is prerendered before its circuit connects; until then a click does nothing, so retry briefly.
    // One click, as soon as the button takes one: before the page is live its controls don't take clicks (MainLayout).
    private static async Task OpenAddDialogAsync(IPage page)
    {
        await page.ClickAsync("#add-machine");
        await page.Locator("#machine-save").WaitForAsync(new() { Timeout = 5_000 });
    }
}
