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

    /// <summary>
    /// A page of the menu drawn by the live circuit: the images page once it is live, then the page through the menu, as an
    /// admin goes. A page drawn before its circuit is live shows its data grids without rows until it is.
    /// </summary>
    public static async Task<IPage> OpenLiveAsAdminAsync(IBrowserContext context, string path, string password)
    {
        var page = await OpenAsAdminAsync(context, "/images", password, "#blank-image");
        await GoThroughMenuAsync(page, path);
        return page;
    }

    /// <summary>
    /// Through the menu, as an admin goes: the page renders in the live circuit at once (a reload would draw it on the server
    /// first, where its controls wait for the live connection).
    /// </summary>
    public static async Task GoThroughMenuAsync(IPage page, string path)
    {
        await page.ClickAsync($"nav a[href='{path}'], .mud-navmenu a[href='{path}']");
        await page.WaitForURLAsync($"**{path}");
    }

    public static BrowserNewContextOptions At(Uri baseAddress) => new() { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } };
}
