using Microsoft.Playwright;

namespace GGnet.Tests.Support;

/// <summary>
/// What the browser showed when a browser test failed: the page photographed and its HTML kept in the artifacts when the test
/// leaves before <see cref="Passed"/>.
/// </summary>
public sealed class FailureShot(IPage page, string name) : IAsyncDisposable
{
    private bool _passed;

    public void Passed() => _passed = true;

    public async ValueTask DisposeAsync()
    {
        if (_passed)
        {
            return;
        }
        try
        {
            await page.ScreenshotAsync(new() { Path = Artifacts.PathOf(name + ".png"), FullPage = true, Timeout = 10_000 });
            await File.WriteAllTextAsync(Artifacts.PathOf(name + ".html"), await page.ContentAsync());
        }
        catch (PlaywrightException)
        {
            // The browser went with the failure: nothing to show.
        }
    }
}
