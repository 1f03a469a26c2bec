using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Images;

/// <summary>Image versions on a real 32 MiB filesystem (tmpfs) that something else fills while a conversion runs.</summary>
public sealed class SmallImageDirectoryAppFactory : ImageAppFactory
{
    private Tmpfs? _images;

    public string ImageDirectory => Path.Combine(DataDirectory, "small-images");

    public Tmpfs Images => _images ?? throw new InvalidOperationException("The image directory is mounted when the app starts.");

    protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Append(("Storage:ImageDirectory", ImageDirectory));

    public override async Task InitializeAsync()
    {
        _images = await Tmpfs.MountAsync(ImageDirectory, "32m");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_images is not null)
        {
            await _images.DisposeAsync();
        }
    }
}

[Collection(WebAppTests.Name)]
public sealed class ImageImportDiskFullTests(SmallImageDirectoryAppFactory app) : IClassFixture<SmallImageDirectoryAppFactory>
{
    [Fact]
    public async Task TheImageDirectoryFillingUpDuringTheConversion_FailsTheImportWithWhatToDo_RemovesThePartialDisk_AndKeepsTheImportedFile()
    {
        using var admin = await app.CreateAdminClientAsync();
        var file = await app.DropAsync("vmdk", 16);
        var import = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("big"), file });
        var id = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForAsync($"/api/v1/images/{id}", i => Latest(i).GetProperty("progress") is { ValueKind: JsonValueKind.Number } p && p.GetDouble() > 0);

        await app.Images.FillUpAsync();
        var failed = await admin.WaitForAsync($"/api/v1/images/{id}", i => Latest(i).GetProperty("status").GetString() != "converting");
        var free = GGnet.Core.Storage.StorageFullException.Readable(app.Images.FreeBytes);

        Assert.Equal(HttpStatusCode.Accepted, import.StatusCode);
        Assert.Equal("failed", Latest(failed).GetProperty("status").GetString());
        Assert.Equal(
            $"The image directory {app.ImageDirectory} is full ({free} free, up to 16.0 MiB needed to convert {file}). "
            + $"Free space there or give Storage:ImageDirectory a bigger filesystem, then import again: {file} is still in the import folder.",
            Latest(failed).GetProperty("failureReason").GetString());
        Assert.Equal(["filler"], Directory.GetFiles(app.ImageDirectory).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(app.ImportFolder, file)));
    }

    private static JsonElement Latest(JsonElement image) => image.GetProperty("versions")[0];
}
