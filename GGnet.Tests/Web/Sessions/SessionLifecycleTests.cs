using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Core.Domain;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Sessions;

/// <summary>Start and stop through the API, provisioned by Hangfire jobs against a real tgtd, disks and TFTP root.</summary>
[Collection(WebAppTests.Name)]
public sealed class SessionLifecycleTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task Start_GoesPendingToReady_WithDiskTargetAndScript_ThenStopRemovesThem()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, mac) = await CreateMachineAsync(admin);

        var start = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type = "normal" });
        var pending = await start.Content.ReadFromJsonAsync<JsonElement>();
        var id = pending.GetProperty("id").GetInt32();
        var ready = await admin.WaitForSessionStateAsync(id, "ready");
        var disk = Path.Combine(app.DiskDirectory, $"session-{id}.img");
        var targets = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        var script = await File.ReadAllTextAsync(Path.Combine(app.TftpRoot, "machines", mac.Replace(':', '-') + ".ipxe"));

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("pending", pending.GetProperty("state").GetString());
        Assert.Equal($"iqn.2024-01.net.ggnet:session.{id}", ready.GetProperty("targetIqn").GetString());
        Assert.True(File.Exists(disk));
        Assert.Contains($"iqn.2024-01.net.ggnet:session.{id}", targets, StringComparison.Ordinal);
        Assert.Contains(disk, targets, StringComparison.Ordinal);
        Assert.Contains($"sanboot iscsi:10.99.0.1:::1:iqn.2024-01.net.ggnet:session.{id}", script, StringComparison.Ordinal);

        var stop = await admin.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null);
        await admin.WaitForSessionStateAsync(id, "stopped");
        var targetsAfter = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        var scriptAfter = await File.ReadAllTextAsync(Path.Combine(app.TftpRoot, "machines", mac.Replace(':', '-') + ".ipxe"));

        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        Assert.DoesNotContain($"session.{id}", targetsAfter, StringComparison.Ordinal);
        Assert.False(File.Exists(disk));
        Assert.Contains("has no session yet", scriptAfter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStopWhileTheSessionIsBeingPrepared_Wins_AndTheTargetAlreadyMadeIsRemoved()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, _) = await CreateMachineAsync(admin);
        var release = new TaskCompletionSource();
        var targetMade = app.Iscsi.HoldNextCreate(release.Task);
        int id;
        JsonElement stopping;
        try
        {
            var start = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type = "normal" });
            id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            await targetMade.WaitAsync(TimeSpan.FromSeconds(60));
            stopping = await (await admin.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        }
        finally
        {
            release.TrySetResult();
        }
        var stopped = await admin.WaitForSessionStateAsync(id, "stopped");
        var targets = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;

        Assert.Equal("stopping", stopping.GetProperty("state").GetString());
        Assert.Equal("stopped", stopped.GetProperty("state").GetString());
        Assert.DoesNotContain($"session.{id}", targets, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.DiskDirectory, $"session-{id}.img")), "the disk of the stopped session is left");
    }

    [Fact]
    public async Task ScriptServedOverHttp_FollowsTheSession_ThoughItIsKeptBetweenRequests()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var pc = app.CreateAnonymousClient();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, mac) = await CreateMachineAsync(admin);
        var scriptUri = new Uri($"/boot/{mac.Replace(':', '-')}.ipxe", UriKind.Relative);

        var before = await pc.GetStringAsync(scriptUri);
        var beforeAgain = await pc.GetStringAsync(scriptUri);
        var start = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type = "normal" });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(id, "ready");
        var during = await pc.GetStringAsync(scriptUri);
        await admin.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null);
        await admin.WaitForSessionStateAsync(id, "stopped");
        var after = await pc.GetStringAsync(scriptUri);

        Assert.Contains("has no session yet", before, StringComparison.Ordinal);
        Assert.Equal(before, beforeAgain);
        Assert.Contains($"sanboot iscsi:10.99.0.1:::1:iqn.2024-01.net.ggnet:session.{id}", during, StringComparison.Ordinal);
        Assert.Contains("has no session yet", after, StringComparison.Ordinal);
        Assert.DoesNotContain("sanboot", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheScript_NamesTheLunTheBackendPutTheDiskOn_AsRecordedWithTheTarget()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var pc = app.CreateAnonymousClient();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, mac) = await CreateMachineAsync(admin);
        app.Iscsi.ReportedLun = 0;
        int id;
        try
        {
            var start = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type = "normal" });
            id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            await admin.WaitForSessionStateAsync(id, "ready");
        }
        finally
        {
            app.Iscsi.ReportedLun = null;
        }

        var script = await pc.GetStringAsync(new Uri($"/boot/{mac.Replace(':', '-')}.ipxe", UriKind.Relative));
        var tftpScript = await File.ReadAllTextAsync(Path.Combine(app.TftpRoot, "machines", mac.Replace(':', '-') + ".ipxe"));

        Assert.Contains($"sanboot iscsi:10.99.0.1:::0:iqn.2024-01.net.ggnet:session.{id}", script, StringComparison.Ordinal);
        Assert.Contains($"sanboot iscsi:10.99.0.1:::0:iqn.2024-01.net.ggnet:session.{id}", tftpScript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondStartOnABusyMachine_Is409()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, _) = await CreateMachineAsync(admin);
        (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).EnsureSuccessStatusCode();

        var second = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already has session", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clone")]
    [InlineData("target")]
    [InlineData("script")]
    public async Task FailureAtEachStep_RollsBackEverything_AndSaysWhy(string failingStep)
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageName = TestNames.Unique("img");
        var imageId = await app.AddImageAsync(imageName);
        var (machineId, mac) = await CreateMachineAsync(admin);
        if (failingStep == "clone")
        {
            File.Delete(Path.Combine(app.DataDirectory, $"{imageName}.img"));
        }
        app.Iscsi.FailCreate = failingStep == "target";
        app.Files.FailMachineScripts = failingStep == "script";
        try
        {
            var id = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            var failed = await admin.WaitForSessionStateAsync(id, "failed");
            var targets = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
            var scriptPath = Path.Combine(app.TftpRoot, "machines", mac.Replace(':', '-') + ".ipxe");

            var reason = failed.GetProperty("failureReason").GetString();
            Assert.StartsWith("GGnet could not ", reason, StringComparison.Ordinal);
            Assert.Contains(failingStep switch { "clone" => "clone the disk", "target" => "create the iSCSI target", _ => "write the machine's boot script" }, reason, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(app.DiskDirectory, $"session-{id}.img")));
            Assert.DoesNotContain($"session.{id}", targets, StringComparison.Ordinal);
            Assert.False(File.Exists(scriptPath) && (await File.ReadAllTextAsync(scriptPath)).Contains("sanboot", StringComparison.Ordinal));
        }
        finally
        {
            app.Iscsi.FailCreate = false;
            app.Files.FailMachineScripts = false;
        }
    }

    [Fact]
    public async Task Stop_WhenTargetAndDiskAreAlreadyGone_StillEndsStopped()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, _) = await CreateMachineAsync(admin);
        var id = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(id, "ready");
        var listing = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        var tid = listing.Split('\n').First(l => l.Contains($"session.{id}", StringComparison.Ordinal))[7..].Split(':')[0];
        await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", tid, "--force");
        File.Delete(Path.Combine(app.DiskDirectory, $"session-{id}.img"));

        await admin.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null);
        var stopped = await admin.WaitForSessionStateAsync(id, "stopped");

        Assert.Equal("stopped", stopped.GetProperty("state").GetString());
    }

    [Fact]
    public async Task FiftyConcurrentStarts_OnDistinctMachines_AllBecomeReady()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var machines = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            machines.Add((await CreateMachineAsync(admin)).Id);
        }

        var starts = await Task.WhenAll(machines.Select(machineId => admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })));
        var ids = new List<int>();
        foreach (var start in starts)
        {
            ids.Add((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }
        foreach (var id in ids)
        {
            await admin.WaitForSessionStateAsync(id, "ready", TimeSpan.FromSeconds(60));
        }
        var stats = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/stats");

        Assert.All(starts, s => Assert.Equal(HttpStatusCode.Accepted, s.StatusCode));
        Assert.True(stats.GetProperty("byState").GetProperty("ready").GetInt32() >= 50);
        var listing = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        Assert.All(ids, id => Assert.Contains($"session.{id}\n", listing, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteMachine_IsRefusedWhileItsSessionRuns_AndTakesItsHistoryAlongAfterwards()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, _) = await CreateMachineAsync(admin);
        var id = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(id, "ready");

        var whileRunning = await admin.DeleteAsync(new Uri($"/api/v1/machines/{machineId}", UriKind.Relative));
        await admin.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null);
        await admin.WaitForSessionStateAsync(id, "stopped");
        var afterStop = await admin.DeleteAsync(new Uri($"/api/v1/machines/{machineId}", UriKind.Relative));
        var session = await admin.GetAsync(new Uri($"/api/v1/sessions/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Contains("Stop the session, then delete the machine", (await whileRunning.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, afterStop.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
    }

    [Fact]
    public async Task Viewer_CannotStartOrStop()
    {
        using var viewer = await app.CreateClientWithRoleAsync(Roles.Viewer);

        var start = await viewer.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = 1, imageId = 1 });
        var stop = await viewer.PostAsync(new Uri("/api/v1/sessions/1/stop", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stop.StatusCode);
    }

    private static async Task<(int Id, string Mac)> CreateMachineAsync(HttpClient admin)
    {
        var mac = TestMacs.Next();
        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("s"), macAddress = mac });
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32(), mac);
    }
}
