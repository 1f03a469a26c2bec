using Microsoft.Playwright;

namespace GGnet.Tests.Support;

/// <summary>Opens a page of GGnet in a fresh 1400×900 browser tab, logging in as admin on the way, and waits for it to be live.</summary>
public static class BrowserLogin
{
    /// <param name="liveSelector">An element that is enabled only once the page is interactive.</param>
    public static async Task<IPage> OpenAsAdminAsync(IBrowserContext context, string path, string password, string liveSelector)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/login**");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-submit");
        await page.Locator(liveSelector + ":not([disabled])").WaitForAsync(new() { Timeout = 20_000 });
        return page;
    }

    public static BrowserNewContextOptions At(Uri baseAddress) => new() { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } };
}
