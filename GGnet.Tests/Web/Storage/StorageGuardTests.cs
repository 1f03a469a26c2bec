using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Storage;

/// <summary>Session disks on a real 16 MiB filesystem (tmpfs) that the test fills.</summary>
public sealed class SmallStorageAppFactory : SessionAppFactory
{
    public string Filler => Path.Combine(DiskDirectory, "filler.bin");

    private Tmpfs? _disks;

    public override async Task InitializeAsync()
    {
        _disks = await Tmpfs.MountAsync(DiskDirectory, "16m");
        await base.InitializeAsync();
    }

    /// <summary>Fills the disk storage to about this many percent.</summary>
    public async Task FillToAsync(int percent)
    {
        File.Delete(Filler);
        var drive = new DriveInfo(DiskDirectory);
        var used = drive.TotalSize - drive.TotalFreeSpace;
        var target = (used + drive.AvailableFreeSpace) * percent / 100 - used;
        await File.WriteAllBytesAsync(Filler, new byte[Math.Max(0, target)]);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_disks is not null)
        {
            await _disks.DisposeAsync();
        }
    }
}

[Collection(WebAppTests.Name)]
public sealed class StorageGuardTests(SmallStorageAppFactory app) : IClassFixture<SmallStorageAppFactory>
{
    [Fact]
    public async Task AboveTheLimit_NewSessionsAreRefusedWithASentence_BelowItTheyStart()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        await app.FillToAsync(95);
        var refused = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
        await app.FillToAsync(50);
        var started = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
        var ready = await admin.WaitForSessionStateAsync((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32(), "ready");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var sentence = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains($"({app.DiskDirectory}) is 9", sentence, StringComparison.Ordinal);
        Assert.Contains("over the 90% limit: new sessions are refused", sentence, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("ready", ready.GetProperty("state").GetString());
    }

    [Fact]
    public async Task BelowTheLimit_ACopyLargerThanTheFreeSpace_FailsTheSessionWithWhatToDo_AndLeavesNoPartialDisk()
    {
        using var admin = await app.CreateAdminClientAsync();
        await app.FillToAsync(0);
        var imageId = await app.AddImageAsync(TestNames.Unique("big"), randomMebibytes: 24);
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var started = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var failed = await admin.WaitForSessionStateAsync(sessionId, "failed");

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var reason = failed.GetProperty("failureReason").GetString();
        var free = GGnet.Core.Storage.StorageFullException.Readable(new DriveInfo(app.DiskDirectory).AvailableFreeSpace);
        Assert.Equal(
            $"GGnet could not clone the disk: the session disk directory {app.DiskDirectory} is full ({free} free, up to 24.0 MiB needed). "
            + "Free space there (delete unused images, old versions or kept disks) or give Storage:DiskDirectory a bigger filesystem, then start the session again.",
            reason);
        Assert.Empty(Directory.GetFiles(app.DiskDirectory, $"session-{sessionId}.*"));
    }

    [Fact]
    public async Task HealthApi_WithARealTgtdAndABootNetwork_IsGreenForIscsi_AndRedForAFullStorage()
    {
        using var admin = await app.CreateAdminClientAsync();

        await app.FillToAsync(95);
        var parts = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/health/components")).EnumerateArray()
            .ToDictionary(p => p.GetProperty("component").GetString()!, p => (Level: p.GetProperty("level").GetString(), Sentence: p.GetProperty("sentence").GetString()));
        await app.FillToAsync(50);

        Assert.Equal("green", parts["iSCSI"].Level);
        Assert.Equal("red", parts["Storage"].Level);
        Assert.Contains("new sessions are refused", parts["Storage"].Sentence, StringComparison.Ordinal);
        Assert.NotEqual("red", parts["DHCP"].Level);
        Assert.NotEqual("red", parts["Jobs"].Level);
        Assert.Matches(@"^\d+ (job server\(s\) running|background job\(s\) failed)", parts["Jobs"].Sentence);
        Assert.DoesNotContain("Lab", parts.Keys);
    }

    [Fact]
    public async Task StorageApi_GivesTheFillLevel_TheLimits_AndHowSessionDisksAreMade()
    {
        using var admin = await app.CreateAdminClientAsync();

        await app.FillToAsync(95);
        var full = await admin.GetFromJsonAsync<JsonElement>("/api/v1/storage");
        await app.FillToAsync(50);

        Assert.Equal(app.DiskDirectory, full.GetProperty("folder").GetString());
        Assert.InRange(full.GetProperty("usedPercent").GetDouble(), 90, 100);
        Assert.True(full.GetProperty("refusesNewSessions").GetBoolean());
        Assert.Equal(90, full.GetProperty("refuseAbovePercent").GetInt32());
        Assert.Equal("full copies", full.GetProperty("cloneStrategy").GetString());
        Assert.Contains("Storage:CloneStrategy is Copy", full.GetProperty("cloneStrategyReason").GetString(), StringComparison.Ordinal);
    }
}
