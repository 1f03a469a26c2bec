using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Images;

/// <summary>Conversions are slowed to 4 MiB/s here so that progress and cancel can be watched.</summary>
public class ImageAppFactory : SessionAppFactory
{
    public string ImportFolder => Path.Combine(DataDirectory, "import");

    protected override IEnumerable<(string Key, string Value)> Settings() =>
        base.Settings()
            .Append(("Storage:ConvertRateLimitBytesPerSecond", (4 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(("Storage:MaxUploadBytes", (32 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Puts a disk image with random data of this size into the import folder.</summary>
    public async Task<string> DropAsync(string format, int mebibytes)
    {
        Directory.CreateDirectory(ImportFolder);
        var raw = Path.Combine(DataDirectory, $"data-{Guid.NewGuid():N}.raw");
        var data = new byte[mebibytes << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(raw, data);
        var name = $"disk-{Guid.NewGuid():N}.{format}";
        await Cli.Wrap("qemu-img").WithArguments(["convert", "-q", "-f", "raw", "-O", format, raw, Path.Combine(ImportFolder, name)]).ExecuteAsync();
        File.Delete(raw);
        return name;
    }
}

/// <summary>Importing images through the API: checked by the real qemu-img, converted by a Hangfire job, then bootable.</summary>
[Collection(WebAppTests.Name)]
public sealed class ImageImportTests(ImageAppFactory app) : IClassFixture<ImageAppFactory>
{
    [Fact]
    public async Task ImportAVmdk_ConvertsWithProgress_BecomesReady_AndASessionBootsIt()
    {
        using var admin = await app.CreateAdminClientAsync();
        var file = await app.DropAsync("vmdk", 8);
        var name = TestNames.Unique("win11");

        var import = await admin.PostAsJsonAsync("/api/v1/images/import", new { name, file, description = "café image" });
        var image = await import.Content.ReadFromJsonAsync<JsonElement>();
        var id = image.GetProperty("id").GetInt32();
        var converting = await admin.WaitForAsync($"/api/v1/images/{id}", i => Latest(i).GetProperty("progress") is { ValueKind: JsonValueKind.Number } p && p.GetDouble() > 0);
        var ready = await admin.WaitForAsync($"/api/v1/images/{id}", i => Latest(i).GetProperty("status").GetString() != "converting");
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var session = await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId = id })).Content.ReadFromJsonAsync<JsonElement>();
        await admin.WaitForSessionStateAsync(session.GetProperty("id").GetInt32(), "ready");

        Assert.Equal(HttpStatusCode.Accepted, import.StatusCode);
        Assert.Equal("converting", Latest(image).GetProperty("status").GetString());
        Assert.InRange(Latest(converting).GetProperty("progress").GetDouble(), 0.01, 100);
        Assert.Equal("ready", Latest(ready).GetProperty("status").GetString());
        Assert.True(Latest(ready).GetProperty("current").GetBoolean());
        Assert.Equal(8 << 20, Latest(ready).GetProperty("sizeBytes").GetInt64());
        Assert.Contains(await AuditActionsAsync(admin), a => a == "image.ready");
    }

    [Fact]
    public async Task Cancel_WhileConverting_FailsTheVersionAsCancelled_AndRemovesThePartialDisk()
    {
        using var admin = await app.CreateAdminClientAsync();
        var file = await app.DropAsync("qcow2", 48);
        var id = (await (await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("big"), file })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForAsync($"/api/v1/images/{id}", i => Latest(i).GetProperty("progress") is { ValueKind: JsonValueKind.Number } p && p.GetDouble() > 0);

        var cancel = await admin.PostAsync(new Uri($"/api/v1/images/{id}/cancel", UriKind.Relative), null);
        var failed = await admin.WaitForAsync($"/api/v1/images/{id}", i => Latest(i).GetProperty("status").GetString() == "failed");

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.StartsWith("Cancelled", Latest(failed).GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "images"), $"image-{id}-*"));
    }

    [Theory]
    [InlineData("../ggnet.db", "is not a file in the import folder")]
    [InlineData("/etc/passwd", "is not a file in the import folder")]
    [InlineData("missing.vmdk", "There is no file 'missing.vmdk'")]
    [InlineData("", "Choose a file of the import folder")]
    public async Task Import_OfAFileOutsideTheFolderOrMissing_IsRefusedWithASentence(string file, string sentence)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("x"), file });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(sentence, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ThroughASymbolicLinkOutOfTheFolder_IsRefused()
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);
        var link = $"escape-{Guid.NewGuid():N}.img";
        File.CreateSymbolicLink(Path.Combine(app.ImportFolder, link), Path.Combine(app.DataDirectory, "ggnet.db"));

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("link"), file = link });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("leads outside the import folder", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfAVmdkWhoseExtentIsAServerFile_IsRefused_SoNoHostFileEndsUpInAnImage()
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);
        var file = $"evil-{Guid.NewGuid():N}.vmdk";
        await File.WriteAllTextAsync(Path.Combine(app.ImportFolder, file),
            "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n\nRW 2048 FLAT \"/etc/hostname\" 0\n\nddb.virtualHWVersion = \"4\"\n");

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("evil"), file });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reads its data from '/etc/hostname', which is not a file of the import folder",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfAQcow2WithAnExternalDataFile_IsRefused()
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);
        var file = $"datafile-{Guid.NewGuid():N}.qcow2";
        await CliWrap.Cli.Wrap("qemu-img").WithArguments(["create", "-q", "-f", "qcow2", "-o", $"data_file={Path.Combine(app.DataDirectory, file + ".raw")}", Path.Combine(app.ImportFolder, file), "16M"]).ExecuteAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("df"), file });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("keeps its data in an external file", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ThroughALinkedFolderOnTheWay_IsRefused()
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);
        var link = $"root-{Guid.NewGuid():N}";
        Directory.CreateSymbolicLink(Path.Combine(app.ImportFolder, link), "/");

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("dev"), file = $"{link}/etc/hostname" });
        var importable = await admin.GetFromJsonAsync<JsonElement>("/api/v1/images/importable");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("leads outside the import folder", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(importable.GetProperty("files").EnumerateArray(), f => f.GetString()!.StartsWith(link, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(5, "it is 5 bytes, and a raw disk image is at least 1 MiB")]
    [InlineData((1 << 20) + 1, "it is 1048577 bytes, and a raw disk image is whole 512-byte sectors")]
    public async Task Import_OfAFileTooSmallOrNotWholeSectors_SaysItsRealSize(int bytes, string sentence)
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);
        var file = $"odd-{Guid.NewGuid():N}.img";
        await File.WriteAllBytesAsync(Path.Combine(app.ImportFolder, file), new byte[bytes]);

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("odd"), file });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(sentence, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfAFileStillBeingUploaded_SaysToWaitForTheUpload()
    {
        using var admin = await app.CreateAdminClientAsync();
        var file = $"coming-{Guid.NewGuid():N}.img";
        (await SendAsync(admin, $"/api/v1/images/upload?fileName={file}&size={2 << 20}&offset=0", new byte[1 << 20])).EnsureSuccessStatusCode();

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("early"), file });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is still being uploaded", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfAFileThatIsNoDisk_IsRefused_AndNothingIsRegistered()
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);
        await File.WriteAllTextAsync(Path.Combine(app.ImportFolder, "readme.txt"), "not a disk");
        var name = TestNames.Unique("txt");

        var response = await admin.PostAsJsonAsync("/api/v1/images/import", new { name, file = "readme.txt" });
        var images = await admin.GetFromJsonAsync<JsonElement>("/api/v1/images");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(images.EnumerateArray(), i => i.GetProperty("name").GetString() == name);
    }

    [Fact]
    public async Task Delete_WhileASessionUsesTheImage_IsRefused_ThenWorksAfterStop()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("inuse"));
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var sessionId = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(sessionId, "ready");

        var refused = await admin.DeleteAsync(new Uri($"/api/v1/images/{imageId}", UriKind.Relative));
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped");
        var deleted = await admin.DeleteAsync(new Uri($"/api/v1/images/{imageId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is in use by 1 session", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri($"/api/v1/images/{imageId}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Viewer_CantImportCancelOrDelete()
    {
        using var viewer = await app.CreateClientWithRoleAsync(GGnet.Core.Domain.Roles.Viewer);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/images/upload?fileName=v.vmdk") { Content = new ByteArrayContent(new byte[16]) };
        upload.Headers.Add("X-GGnet-Upload", "1");

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(upload)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri("/api/v1/images/1/versions/1/make-current", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri("/api/v1/sessions/1/commit", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri("/api/v1/sessions/1/discard", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri("/api/v1/sessions/1/purge-disk", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync(new Uri("/api/v1/sessions/disk-usage", UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/images/import", new { name = "x", file = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri("/api/v1/images/1/cancel", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync(new Uri("/api/v1/images/1", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Upload_StreamsTheFileIntoTheImportFolder_ThenItImports()
    {
        using var admin = await app.CreateAdminClientAsync();
        var made = await app.DropAsync("qcow2", 4);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(app.ImportFolder, made));
        var fileName = $"uploaded-{Guid.NewGuid():N}.qcow2";

        var upload = await UploadAsync(admin, fileName, bytes);
        var again = await UploadAsync(admin, fileName, bytes);
        var import = await admin.PostAsJsonAsync("/api/v1/images/import", new { name = TestNames.Unique("up"), file = fileName });

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(app.ImportFolder, fileName)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, import.StatusCode);
        Assert.Empty(Directory.GetFiles(app.ImportFolder, $".{fileName}.*"));
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?search={fileName}");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "image.uploaded" && e.GetProperty("actor").GetString() == "admin");
    }

    [Fact]
    public async Task ResumableUpload_KeepsWhatArrived_SaysWhereToContinue_AndCompletesWithTheLastPart()
    {
        using var admin = await app.CreateAdminClientAsync();
        var bytes = new byte[3 << 20];
        Random.Shared.NextBytes(bytes);
        var fileName = $"resumed-{Guid.NewGuid():N}.img";
        var query = $"/api/v1/images/upload?fileName={fileName}&size={bytes.Length}";

        var first = await SendAsync(admin, $"{query}&offset=0", bytes[..(1 << 20)]);
        var status = await admin.GetFromJsonAsync<JsonElement>(query);
        var wrongOffset = await SendAsync(admin, $"{query}&offset=0", bytes);
        var rest = await SendAsync(admin, $"{query}&offset={1 << 20}", bytes[(1 << 20)..]);
        var afterwards = await admin.GetAsync(new Uri(query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1 << 20, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receivedBytes").GetInt64());
        Assert.Equal(1 << 20, status.GetProperty("receivedBytes").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, wrongOffset.StatusCode);
        var told = await wrongOffset.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1 << 20, told.GetProperty("receivedBytes").GetInt64());
        Assert.Contains("continue from there", told.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(app.ImportFolder, fileName)));
        Assert.Empty(Directory.GetFiles(app.ImportFolder, $".{fileName}.*"));
        Assert.Equal(HttpStatusCode.Conflict, afterwards.StatusCode);
    }

    [Fact]
    public async Task ResumableUpload_BrokenMidway_KeepsTheBytesThatArrived()
    {
        using var admin = await app.CreateAdminClientAsync();
        var bytes = new byte[4 << 20];
        Random.Shared.NextBytes(bytes);
        var fileName = $"broken-{Guid.NewGuid():N}.img";
        var query = $"/api/v1/images/upload?fileName={fileName}&size={bytes.Length}";
        // The in-process server hears of a broken connection when the client gives the request up, as a socket would tell
        // it; a second after the break, so it has read what was sent before.
        using var connection = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{query}&offset=0")
        {
            Content = new StreamContent(new BodyStream(bytes.Length, bytes, breakAt: 3 << 20, broke: () => connection.CancelAfter(TimeSpan.FromSeconds(1)))),
        };
        request.Headers.Add("X-GGnet-Upload", "1");

        await Assert.ThrowsAnyAsync<Exception>(() => admin.SendAsync(request, connection.Token));
        var status = await WaitForReceivedAsync(admin, query, 3 << 20);
        var rest = await SendAsync(admin, $"{query}&offset={status}", bytes[(int)status..]);

        Assert.Equal(3 << 20, status);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(app.ImportFolder, fileName)));
    }

    // The server writes what it read before the break; it may still be finishing when the client sees the error.
    private static async Task<long> WaitForReceivedAsync(HttpClient admin, string query, long expected)
    {
        long received = 0;
        for (var attempt = 0; attempt < 50 && received != expected; attempt++)
        {
            var status = await admin.GetAsync(new Uri(query, UriKind.Relative));
            if (status.StatusCode == HttpStatusCode.OK)
            {
                received = (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receivedBytes").GetInt64();
            }
            await Task.Delay(100);
        }
        return received;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("X-GGnet-Upload", "1");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Upload_TooLarge_BadName_OrWithoutTheHeader_IsRefusedWithASentence_AndLeavesNothing()
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);

        var tooLarge = await UploadAsync(admin, "huge.vmdk", new byte[(32 << 20) + 1]);
        var badName = await UploadAsync(admin, "../escape.vmdk", new byte[1024]);
        using var plain = new ByteArrayContent(new byte[1024]);
        var noHeader = await admin.PostAsync(new Uri("/api/v1/images/upload?fileName=plain.vmdk", UriKind.Relative), plain);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("uploads are limited to 32 MiB", (await tooLarge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
        Assert.False(File.Exists(Path.Combine(app.ImportFolder, "huge.vmdk")));
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "escape.vmdk")));
        Assert.False(File.Exists(Path.Combine(app.ImportFolder, "plain.vmdk")));
    }

    [Fact]
    public async Task Upload_WithoutALength_IsCutOffAtTheLimit_AndLeavesNoPartialFile()
    {
        using var admin = await app.CreateAdminClientAsync();
        Directory.CreateDirectory(app.ImportFolder);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/images/upload?fileName=streamed.vmdk")
        {
            // A stream of unknown length goes out chunked: the limit can only be enforced while reading.
            Content = new StreamContent(new BodyStream((32 << 20) + (1 << 20))),
        };
        request.Headers.Add("X-GGnet-Upload", "1");

        var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(app.ImportFolder, "streamed.vmdk")));
        Assert.Empty(Directory.GetFiles(app.ImportFolder, ".streamed.vmdk.*"));
    }

    // A request body of unknown length (so it goes out chunked): the data given, else zeros; it breaks off with an
    // error after breakAt bytes, the client's side of a broken connection.
    private sealed class BodyStream(long length, byte[]? data = null, long? breakAt = null, Action? broke = null) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position == breakAt)
            {
                broke?.Invoke();
                throw new IOException("the connection broke");
            }
            var n = (int)Math.Min(count, (breakAt ?? length) - _position);
            if (data is not null)
            {
                Array.Copy(data, _position, buffer, offset, n);
            }
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string fileName, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/images/upload?fileName={Uri.EscapeDataString(fileName)}") { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("X-GGnet-Upload", "1");
        return await client.SendAsync(request);
    }

    private static JsonElement Latest(JsonElement image) => image.GetProperty("versions")[0];

    private static async Task<List<string?>> AuditActionsAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?pageSize=100")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
}
