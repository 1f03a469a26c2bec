using System.Net.Http.Json;
using CliWrap;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Browser;

/// <summary>Conversions slowed to 8 MiB/s, so a browser can watch one.</summary>
public sealed class SlowConvertBrowserAppFactory : BrowserAppFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        base.Settings().Append(("Storage:ConvertRateLimitBytesPerSecond", (8 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

[Collection(WebAppTests.Name)]
public sealed class ImagesBrowserTests(SlowConvertBrowserAppFactory app) : IClassFixture<SlowConvertBrowserAppFactory>
{
    [Fact]
    public async Task Admin_ImportsAVmdk_WatchesItConvert_ThenSeesItReady_WithoutReload()
    {
        var import = Path.Combine(app.DataDirectory, "import");
        Directory.CreateDirectory(import);
        var raw = Path.Combine(app.DataDirectory, "hall.raw");
        var data = new byte[48 << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(raw, data);
        await Cli.Wrap("qemu-img").WithArguments(["convert", "-q", "-f", "raw", "-O", "vmdk", raw, Path.Combine(import, "hall-pcs.vmdk")]).ExecuteAsync();
        await using var context = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/images", GGnetAppFactory.AdminPassword, "#import-image");
        await page.EvaluateAsync("() => window.ggnetNoReload = 'still here'");

        await page.ClickAsync("#import-image");
        await page.ClickAsync("#import-file");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "hall-pcs.vmdk" }).ClickAsync();
        await page.FillAsync("#import-name", "hall-pcs");
        await BrowserDialogs.ConfirmAsync(page, "#import-start");
        var row = page.Locator("tr[data-image='hall-pcs']");
        await row.Locator(".image-progress").WaitForAsync(new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("images-converting.png"), FullPage = true });
        await row.Locator("text=Ready").WaitForAsync(new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("images-ready.png"), FullPage = true });

        Assert.Contains("v1 (current)", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.ggnetNoReload"));
        Assert.Contains("Disk storage", await page.Locator("#storage-gauge").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_MakesABlankImage_ThenStartsAnInstallFromAnIso_OnAMachine()
    {
        var import = Path.Combine(app.DataDirectory, "import");
        var tree = Path.Combine(app.DataDirectory, "iso-tree");
        Directory.CreateDirectory(import);
        Directory.CreateDirectory(tree);
        await File.WriteAllTextAsync(Path.Combine(tree, "README.TXT"), "an installer");
        await Cli.Wrap("xorriso").WithArguments(["-as", "mkisofs", "-quiet", "-o", Path.Combine(import, "cafe-netinst.iso"), tree]).ExecuteAsync();
        using var api = await app.CreateApiClientAsync();
        var name = TestNames.Unique("seat");
        var machineId = (await (await api.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        await using var context = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/images", GGnetAppFactory.AdminPassword, "#blank-image");

        await page.ClickAsync("#blank-image");
        await page.FillAsync("#blank-name", "cafe-blank");
        await page.FillAsync("#blank-size", "2");
        await BrowserDialogs.ConfirmAsync(page, "#blank-create");
        var row = page.Locator("tr[data-image='cafe-blank']");
        await row.Locator("text=Ready").WaitForAsync(new() { Timeout = 20_000 });

        Assert.Contains("v1 (current)", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("2.0 GiB", await row.InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/machines");
        await page.ClickAsync($"button[aria-label='Start session of {name}']");
        await page.Locator("div.mud-select:has(#start-image)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "cafe-blank" }).ClickAsync();
        await page.Locator("div.mud-select:has(#start-type)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Maintenance" }).ClickAsync();
        await page.Locator("div.mud-select:has(#start-install-from)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Install from cafe-netinst.iso" }).ClickAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("start-install-from-iso.png"), FullPage = true });
        await page.ClickAsync("#start-confirm");
        var session = await api.WaitForAsync($"/api/v1/sessions?machineId={machineId}", s => s.GetProperty("items").GetArrayLength() == 1);

        Assert.Equal("cafe-netinst.iso", session.GetProperty("items")[0].GetProperty("installFrom").GetString());
        Assert.Equal("maintenance", session.GetProperty("items")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Admin_UploadsADiskImage_WithProgress_AndItIsReadyToImport()
    {
        var local = Path.Combine(app.DataDirectory, "from-my-pc.qcow2");
        await Cli.Wrap("qemu-img").WithArguments(["create", "-q", "-f", "qcow2", local, "64M"]).ExecuteAsync();
        await using var context = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/images", GGnetAppFactory.AdminPassword, "#upload-start");

        await page.SetInputFilesAsync("#upload-file", local);
        await page.ClickAsync("#upload-start");
        var message = page.Locator("#upload-message");
        await message.WaitForAsync(new() { Timeout = 30_000 });

        Assert.Contains("from-my-pc.qcow2 is in the import folder", await message.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(local), await File.ReadAllBytesAsync(Path.Combine(app.DataDirectory, "import", "from-my-pc.qcow2")));
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("images-uploaded.png"), FullPage = true });
    }

    [Fact]
    public async Task BrokenUpload_ContinuesWhereTheServerStands_InsteadOfStartingOver()
    {
        var local = Path.Combine(app.DataDirectory, "hall-resumed.img");
        var data = new byte[6 << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(local, data);
        // An earlier attempt (a closed laptop) got the first 2 MiB to the server.
        using (var admin = await app.CreateApiClientAsync())
        using (var part = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/images/upload?fileName=hall-resumed.img&size={data.Length}&offset=0") { Content = new ByteArrayContent(data[..(2 << 20)]) })
        {
            part.Headers.Add("X-GGnet-Upload", "1");
            (await admin.SendAsync(part)).EnsureSuccessStatusCode();
        }
        await using var context = await app.Browser.NewContextAsync(BrowserLogin.At(app.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/images", GGnetAppFactory.AdminPassword, "#upload-start");
        // And this time the connection breaks once more, on the first part sent.
        var posts = new List<string>();
        var broken = 0;
        await page.RouteAsync("**/api/v1/images/upload?*", async route =>
        {
            if (route.Request.Method == "POST")
            {
                lock (posts)
                {
                    posts.Add(route.Request.Url);
                }
                if (Interlocked.Increment(ref broken) == 1)
                {
                    await route.AbortAsync("connectionreset");
                    return;
                }
            }
            await route.ContinueAsync();
        });

        await page.SetInputFilesAsync("#upload-file", local);
        await page.ClickAsync("#upload-start");
        var message = page.Locator("#upload-message", new() { HasText = "is in the import folder" });
        await message.WaitForAsync(new() { Timeout = 60_000 });

        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(app.DataDirectory, "import", "hall-resumed.img")));
        Assert.Equal(2, posts.Count);
        Assert.All(posts, url => Assert.Contains($"offset={2 << 20}", url, StringComparison.Ordinal));
    }
}
