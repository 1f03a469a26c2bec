using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Support.Lab;

/// <summary>
/// Data images as a café's admin brings them, for the lab's real OS: an ext4 filesystem labelled ggnet-data holding the
/// given files (its marker, a fill order), dropped into the import folder, imported and made a data image.
/// </summary>
public static class LabLibraries
{
    public static async Task<int> ImportAsync(LabApp app, HttpClient api, string name, IReadOnlyDictionary<string, string> files, string size = "64M")
    {
        var import = Path.Combine(app.DataDirectory, "import");
        Directory.CreateDirectory(import);
        using var content = new TempDirectory();
        foreach (var (file, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(content.Path, file), text);
        }
        var made = await new ExternalCommand(NullLogger<ExternalCommand>.Instance).RunAsync("mkfs.ext4",
            ["-q", "-F", "-L", "ggnet-data", "-d", content.Path, Path.Combine(import, name + ".img"), size], CancellationToken.None);
        Assert.True(made.Succeeded, "mkfs.ext4: " + made.Explanation);

        var imported = await (await api.PostAsJsonAsync("/api/v1/images/import", new { name, file = name + ".img" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = imported.GetProperty("id").GetInt32();
        await api.WaitForAsync($"/api/v1/images/{id}", i => i.GetProperty("versions")[0].GetProperty("status").GetString() == "ready");
        var kind = await api.PutAsJsonAsync($"/api/v1/images/{id}/kind", new { kind = "data" });
        Assert.Equal("data", (await kind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString());
        return id;
    }
}
