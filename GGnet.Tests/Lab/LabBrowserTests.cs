using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;
using Microsoft.Playwright;

namespace GGnet.Tests.Lab;

/// <summary>The newcomer's first minute, in Debian's Chromium: log in, click once, watch three virtual PCs boot.</summary>
[Collection(WebAppTests.Name)]
public sealed class LabBrowserTests
{
    [Fact]
    public async Task BootThreeVirtualPcs_OneClick_ThreeTilesGoOnlineWithoutReload()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(BrowserAppFactory.ChromiumOptions);
        await using var context = await browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/", LabApp.AdminPassword, "#boot-virtual-pcs");
        // A reload would lose this mark: finding it afterwards proves the tiles changed in place.
        await page.EvaluateAsync("() => window.ggnetNoReload = 'still here'");

        await page.ClickAsync("#boot-virtual-pcs");
        var online = page.Locator(".ggnet-tile[data-stage='online']");
        try
        {
            await online.Nth(2).WaitForAsync(new() { Timeout = 120_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("lab-three-pcs-timeout.png"), FullPage = true });
            throw new TimeoutException($"Three tiles never showed Online. Page: {await page.Locator("body").InnerTextAsync()}\nGGnet log: {await File.ReadAllTextAsync(app.Log)}");
        }
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("lab-three-pcs-online.png"), FullPage = true });

        Assert.Equal(3, await online.CountAsync());
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.ggnetNoReload"));
        Assert.Contains("private network", await page.Locator("#lab-status").InnerTextAsync(), StringComparison.Ordinal);

        // The first tile leads to that PC's page, where its serial console shows the banner read from its disk.
        await page.Locator(".ggnet-tile a").First.ClickAsync();
        await page.Locator("#serial-console", new() { HasText = GGnet.Infrastructure.Lab.DemoImage.Banner }).WaitForAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("lab-serial-console.png"), FullPage = true });
    }
}
