using Microsoft.Playwright;

namespace GGnet.Tests.Support;

public static class BrowserDialogs
{
    /// <summary>
    /// Clicks a dialog's confirming button and waits for the dialog to close. If it stays open, fails with what the
    /// dialog shows (a validation message, a conflict) and a screenshot, rather than with a later wait's timeout.
    /// </summary>
    public static async Task ConfirmAsync(IPage page, string buttonSelector)
    {
        await page.ClickAsync(buttonSelector);
        try
        {
            await page.Locator(buttonSelector).WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            var screenshot = Artifacts.PathOf($"dialog-stayed-open-{buttonSelector.TrimStart('#')}.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            var shown = await page.Locator(".mud-dialog").AllInnerTextsAsync();
            throw new Xunit.Sdk.XunitException(
                $"the dialog stayed open 20 s after {buttonSelector} was clicked ({screenshot}); it shows: {string.Join(" | ", shown)}");
        }
    }
}
