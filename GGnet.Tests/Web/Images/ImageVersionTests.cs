using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GGnet.Core.Sessions;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Images;

/// <summary>Keeps two versions per image, so that retention shows after a few commits.</summary>
public class VersionsAppFactory : SessionAppFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Append(("Storage:KeepVersions", "2"));
}

/// <summary>Updating an image through maintenance sessions on full-copy session disks, against the real tgtd and disk files.</summary>
[Collection(WebAppTests.Name)]
public sealed class ImageVersionTests(VersionsAppFactory app) : ImageVersionScenarios<VersionsAppFactory>(app), IClassFixture<VersionsAppFactory>
{
    [Fact]
    public async Task StoppingAMaintenanceSessionWhosePcRuns_IsRefusedWithASentence_UnlessForced()
    {
        using var admin = await App.CreateAdminClientAsync();
        var imageId = await App.AddImageAsync(TestNames.Unique("img"));
        var session = await StartAsync(admin, await MachineAsync(admin), imageId, "maintenance");
        await using (var scope = App.Services.CreateAsyncScope())
        {
            // The PC booted and is seen online.
            var repository = scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.ISessionRepository>();
            var running = (await repository.FindAsync(session, CancellationToken.None))!;
            running.MoveTo(GGnet.Core.Domain.Sessions.SessionState.Booting, DateTime.UtcNow);
            running.MoveTo(GGnet.Core.Domain.Sessions.SessionState.Online, DateTime.UtcNow);
            await repository.SaveAsync(running, null, CancellationToken.None);
        }

        var refused = await admin.PostAsync(new Uri($"/api/v1/sessions/{session}/stop", UriKind.Relative), null);
        var stillOnline = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}")).GetProperty("state").GetString();
        var forced = await admin.PostAsync(new Uri($"/api/v1/sessions/{session}/stop?force=true", UriKind.Relative), null);
        var stopped = await admin.WaitForSessionStateAsync(session, "stopped");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is still running. Shut it down from its own system first", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("online", stillOnline);
        Assert.Equal(HttpStatusCode.Accepted, forced.StatusCode);
        Assert.True(stopped.GetProperty("changesWaiting").GetBoolean());
    }

    [Fact]
    public async Task MakingTheCurrentVersionCurrent_ChangesNothing_AndIsNotAudited()
    {
        using var admin = await App.CreateAdminClientAsync();
        var imageId = await App.AddImageAsync(TestNames.Unique("same"));
        var current = (await ImageAsync(admin, imageId)).GetProperty("currentVersionId").GetInt32();

        var response = await admin.PostAsync(new Uri($"/api/v1/images/{imageId}/versions/{current}/make-current", UriKind.Relative), null);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entityType=image&pageSize=100");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain(audit.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("action").GetString() == "image.current-version-changed" && e.GetProperty("entityId").GetString() == imageId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Updating an image through maintenance sessions, the same on every clone strategy.</summary>
public abstract class ImageVersionScenarios<TApp>(TApp app)
    where TApp : SessionAppFactory
{
    protected TApp App => app;

    [Fact]
    public async Task Maintenance_CommitMakesTheNextVersion_RollbackIsInstant_DiscardKeepsTheImage_AndOldVersionsArePruned()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("cafe"));
        var pc1 = await MachineAsync(admin);
        var pc2 = await MachineAsync(admin);

        // Maintenance: the PC writes its update to its disk, then shuts down.
        var maintenance = await StartAsync(admin, pc1, imageId, "maintenance");
        await WriteToDiskAsync(maintenance, "UPDATE-1");
        var second = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = pc2, imageId, type = "maintenance" });
        var stopped = await StopAsync(admin, maintenance);
        await ReconcileAsync();
        var kept = File.Exists(DiskOf(maintenance));
        var commit = await admin.PostAsync(new Uri($"/api/v1/sessions/{maintenance}/commit", UriKind.Relative), null);
        var v2 = await commit.Content.ReadFromJsonAsync<JsonElement>();
        var afterCommit = await ImageAsync(admin, imageId);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already being updated by maintenance session", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(stopped.GetProperty("changesWaiting").GetBoolean());
        Assert.True(kept, "the maintenance disk was not kept (or reconcile removed it)");
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal(2, v2.GetProperty("number").GetInt32());
        Assert.Equal(v2.GetProperty("versionId").GetInt32(), afterCommit.GetProperty("currentVersionId").GetInt32());

        // New sessions boot v2; after a rollback, v1 again.
        var onV2 = await StartAsync(admin, pc2, imageId, "normal");
        var v2Disk = await File.ReadAllBytesAsync(DiskOf(onV2));
        await StopAsync(admin, onV2);
        var v1Id = Version(afterCommit, 1).GetProperty("id").GetInt32();
        var rollback = await admin.PostAsync(new Uri($"/api/v1/images/{imageId}/versions/{v1Id}/make-current", UriKind.Relative), null);
        var onV1 = await StartAsync(admin, pc2, imageId, "normal");
        var v1Disk = await File.ReadAllBytesAsync(DiskOf(onV1));
        await StopAsync(admin, onV1);

        Assert.StartsWith("UPDATE-1", Encoding.ASCII.GetString(v2Disk, 0, 8), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, rollback.StatusCode);
        Assert.StartsWith("GGNET-GOLDEN", Encoding.ASCII.GetString(v1Disk, 0, 12), StringComparison.Ordinal);

        // Discard: the changes go, the image stays.
        var discarded = await StartAsync(admin, pc1, imageId, "maintenance");
        await WriteToDiskAsync(discarded, "THROWAWAY");
        await StopAsync(admin, discarded);
        var discard = await admin.PostAsync(new Uri($"/api/v1/sessions/{discarded}/discard", UriKind.Relative), null);
        var afterDiscard = await ImageAsync(admin, imageId);

        Assert.Equal(HttpStatusCode.NoContent, discard.StatusCode);
        Assert.False(File.Exists(DiskOf(discarded)));
        Assert.Equal(2, afterDiscard.GetProperty("versions").GetArrayLength());
        Assert.Equal(v1Id, afterDiscard.GetProperty("currentVersionId").GetInt32());

        // A third version: only the newest two are kept, so v1 (no longer current, unused) goes with its file.
        var v1File = Path.Combine(app.DataDirectory, (await ImageNameAsync(admin, imageId)) + ".img");
        var third = await StartAsync(admin, pc1, imageId, "maintenance");
        await StopAsync(admin, third);
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{third}/commit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var afterThird = await ImageAsync(admin, imageId);
        var numbers = afterThird.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("number").GetInt32()).ToList();

        Assert.Equal([3, 2], numbers);
        Assert.False(File.Exists(v1File), "the pruned version's disk file is still there");
        Assert.Equal(Version(afterThird, 3).GetProperty("id").GetInt32(), afterThird.GetProperty("currentVersionId").GetInt32());
        Assert.Contains(await AuditAsync(admin), a => a == "image.version-pruned");
    }

    [Fact]
    public async Task Commit_OfANormalOrRunningSession_AndDeletingAnImageWithWaitingChanges_AreRefusedWithASentence()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var normal = await StartAsync(admin, await MachineAsync(admin), imageId, "normal");
        var running = await StartAsync(admin, await MachineAsync(admin), imageId, "maintenance");

        var ofNormal = await admin.PostAsync(new Uri($"/api/v1/sessions/{normal}/commit", UriKind.Relative), null);
        var ofRunning = await admin.PostAsync(new Uri($"/api/v1/sessions/{running}/commit", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, ofNormal.StatusCode);
        Assert.Contains("its changes are never kept", (await ofNormal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, ofRunning.StatusCode);
        Assert.Contains("is still running", (await ofRunning.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await StopAsync(admin, normal);
        await StopAsync(admin, running);
        var deleteWhileWaiting = await admin.DeleteAsync(new Uri($"/api/v1/images/{imageId}", UriKind.Relative));
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{running}/discard", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var deleteAfterDiscard = await admin.DeleteAsync(new Uri($"/api/v1/images/{imageId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, deleteWhileWaiting.StatusCode);
        Assert.Contains("has changes waiting", (await deleteWhileWaiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleteAfterDiscard.StatusCode);
    }

    [Fact]
    public async Task PersistentPc_KeepsItsDiskBetweenSessions_APlainOneStartsFresh_AndAKeptDiskCanBePurged()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var persistent = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("own"), macAddress = TestMacs.Next(), persistent = true })).Content.ReadFromJsonAsync<JsonElement>());
        var plain = await MachineAsync(admin);

        var first = await StartAsync(admin, persistent.GetProperty("id").GetInt32(), imageId, "normal");
        await WriteToDiskAsync(first, "SAVEGAME");
        var firstStopped = await StopAsync(admin, first);
        var second = await StartAsync(admin, persistent.GetProperty("id").GetInt32(), imageId, "normal");
        var secondDisk = await File.ReadAllBytesAsync(DiskOf(second));
        var firstAfterReuse = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{first}");
        var plainSession = await StartAsync(admin, plain, imageId, "normal");
        await WriteToDiskAsync(plainSession, "SAVEGAME");
        var usage = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/disk-usage");
        var plainName = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{plain}")).GetProperty("name").GetString();
        await StopAsync(admin, plainSession);
        var plainAgain = await StartAsync(admin, plain, imageId, "normal");
        var plainDisk = await File.ReadAllBytesAsync(DiskOf(plainAgain));
        await StopAsync(admin, plainAgain);
        await StopAsync(admin, second);
        var purge = await admin.PostAsync(new Uri($"/api/v1/sessions/{second}/purge-disk", UriKind.Relative), null);

        Assert.True(persistent.GetProperty("persistent").GetBoolean());
        Assert.Contains(usage.EnumerateArray(), u => u.GetProperty("sessionId").GetInt32() == plainSession && u.GetProperty("ownBytes").GetInt64() > 0
            && u.GetProperty("machineName").GetString() == plainName);
        Assert.True(firstStopped.GetProperty("changesWaiting").GetBoolean());
        Assert.StartsWith("SAVEGAME", Encoding.ASCII.GetString(secondDisk, 0, 8), StringComparison.Ordinal);
        Assert.False(firstAfterReuse.GetProperty("changesWaiting").GetBoolean());
        Assert.StartsWith("GGNET-GOLDEN", Encoding.ASCII.GetString(plainDisk, 0, 12), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
        Assert.False(File.Exists(DiskOf(second)));
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{second}")).GetProperty("changesWaiting").GetBoolean());
    }

    [Theory]
    [InlineData("claimed")]
    [InlineData("moved")]
    [InlineData("served")]
    public async Task PersistentPc_WhoseStartWasKilledWhileTakingOverItsDisk_KeepsTheDisk(string killedAfter)
    {
        using var admin = await app.CreateAdminClientAsync();
        var (imageId, machineId, first) = await PersistentPcWithASavedGameAsync(admin);
        var firstStopped = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{first}");

        // The start of the next session, as a killed process left it: Provisioning since before this process started,
        // stopped after one of the steps that hand the PC's disk over.
        int killed;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var sessions = scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.ISessionRepository>();
            var disks = scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.IDiskCloner>();
            var before = scope.ServiceProvider.GetRequiredService<ServerStart>().At.AddMinutes(-1);
            var pending = new GGnet.Core.Domain.Sessions.Session(machineId, firstStopped.GetProperty("imageVersionId").GetInt32(), GGnet.Core.Domain.Sessions.SessionType.Normal, firstStopped.GetProperty("node").GetString()!, before);
            await sessions.AddAsync(pending, s => new GGnet.Core.Domain.Audit.AuditEvent(before, "test", "session.started", "session", s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null), CancellationToken.None);
            killed = pending.Id;
            Assert.Single(await sessions.ClaimForProvisioningAsync([killed], before, CancellationToken.None));
            var session = (await sessions.FindAsync(killed, CancellationToken.None))!;
            var kept = (await sessions.FindAsync(first, CancellationToken.None))!;
            var keptPath = kept.KeptDiskPath!;
            session.TakeOverKeptDisk(kept);
            await sessions.SaveKeptDisksAsync([session, kept], CancellationToken.None);
            if (killedAfter is "moved" or "served")
            {
                await disks.ReuseAsync(keptPath, disks.PathFor(killed), CancellationToken.None);
            }
            if (killedAfter == "served")
            {
                session.KeepDisk(disks.PathFor(killed));
                await sessions.SaveKeptDisksAsync([session], CancellationToken.None);
                await disks.ServeAsync(disks.PathFor(killed), CancellationToken.None);
            }
        }
        await ReconcileAsync();
        var killedAfterReconcile = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{killed}");
        var disk = await DiskOfNextStartAsync(admin, machineId, imageId);

        Assert.Equal("failed", killedAfterReconcile.GetProperty("state").GetString());
        Assert.Contains("being prepared when GGnet was stopped", killedAfterReconcile.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.True(killedAfterReconcile.GetProperty("changesWaiting").GetBoolean(), "the killed session does not hold the PC's disk");
        Assert.StartsWith("SAVEGAME", Encoding.ASCII.GetString(disk, 0, 8), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersistentPc_WhoseStartFailsAfterTakingOverItsDisk_KeepsTheDiskForTheNextStart()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (imageId, machineId, _) = await PersistentPcWithASavedGameAsync(admin);

        JsonElement failed;
        app.Iscsi.FailCreate = true;
        try
        {
            var start = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type = "normal" });
            failed = await admin.WaitForSessionStateAsync((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32(), "failed");
        }
        finally
        {
            app.Iscsi.FailCreate = false;
        }
        await ReconcileAsync();
        var disk = await DiskOfNextStartAsync(admin, machineId, imageId);

        Assert.Contains("could not create the iSCSI target", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.True(failed.GetProperty("changesWaiting").GetBoolean(), "the failed session does not hold the PC's disk");
        Assert.StartsWith("SAVEGAME", Encoding.ASCII.GetString(disk, 0, 8), StringComparison.Ordinal);
    }

    // A persistent PC whose first session wrote SAVEGAME to its disk and stopped: the disk is kept.
    private async Task<(int ImageId, int MachineId, int FirstSession)> PersistentPcWithASavedGameAsync(HttpClient admin)
    {
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("own"), macAddress = TestMacs.Next(), persistent = true })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var first = await StartAsync(admin, machineId, imageId, "normal");
        await WriteToDiskAsync(first, "SAVEGAME");
        await StopAsync(admin, first);
        return (imageId, machineId, first);
    }

    private async Task<byte[]> DiskOfNextStartAsync(HttpClient admin, int machineId, int imageId)
    {
        var next = await StartAsync(admin, machineId, imageId, "normal");
        var disk = await File.ReadAllBytesAsync(DiskOf(next));
        await StopAsync(admin, next);
        return disk;
    }

    protected string DiskOf(int sessionId) => Path.Combine(app.DiskDirectory, $"session-{sessionId}.img");

    protected async Task WriteToDiskAsync(int sessionId, string text)
    {
        await using var disk = new FileStream(DiskOf(sessionId), FileMode.Open, FileAccess.Write);
        await disk.WriteAsync(Encoding.ASCII.GetBytes(text));
    }

    protected async Task ReconcileAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReconcileSessions>().ExecuteAsync(CancellationToken.None);
    }

    protected static async Task<int> MachineAsync(HttpClient admin) =>
        (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

    protected static async Task<int> StartAsync(HttpClient admin, int machineId, int imageId, string type)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(id, "ready");
        return id;
    }

    protected static async Task<JsonElement> StopAsync(HttpClient admin, int sessionId)
    {
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        return await admin.WaitForSessionStateAsync(sessionId, "stopped");
    }

    protected static Task<JsonElement> ImageAsync(HttpClient admin, int imageId) => admin.GetFromJsonAsync<JsonElement>($"/api/v1/images/{imageId}");

    protected static async Task<string> ImageNameAsync(HttpClient admin, int imageId) => (await ImageAsync(admin, imageId)).GetProperty("name").GetString()!;

    protected static JsonElement Version(JsonElement image, int number) => image.GetProperty("versions").EnumerateArray().First(v => v.GetProperty("number").GetInt32() == number);

    protected static async Task<List<string?>> AuditAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?pageSize=100")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
}
