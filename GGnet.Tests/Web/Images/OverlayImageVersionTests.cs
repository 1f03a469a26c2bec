using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Storage;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Images;

/// <summary>Session disks as qcow2 overlays served by real qemu-storage-daemons; two versions kept.</summary>
public sealed class OverlayVersionsAppFactory : VersionsAppFactory
{
    protected override string CloneStrategy => "Overlay";
}

/// <summary>
/// The version scenarios again on an overlay pool, plus what only overlays have: a committed version is a qcow2 on
/// the one it came from, retention folds such a chain without losing data, and a dead export is brought back.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class OverlayImageVersionTests(OverlayVersionsAppFactory app) : ImageVersionScenarios<OverlayVersionsAppFactory>(app), IClassFixture<OverlayVersionsAppFactory>
{
    [Fact]
    public async Task Commit_IsAQcow2OnItsBase_AndRetentionFoldsTheChainWithoutLosingData()
    {
        using var admin = await App.CreateAdminClientAsync();
        var imageId = await App.AddImageAsync(TestNames.Unique("chain"));
        var v1File = Path.Combine(App.DataDirectory, (await ImageNameAsync(admin, imageId)) + ".img");
        var pc = await MachineAsync(admin);

        var first = await StartAsync(admin, pc, imageId, "maintenance");
        await WriteAtAsync(first, 0, "UPDATE-A");
        await StopAsync(admin, first);
        var v2 = await CommitAsync(admin, first);
        var v2Backing = await BackingOfAsync(v2);
        var second = await StartAsync(admin, pc, imageId, "maintenance");
        await WriteAtAsync(second, 1 << 20, "UPDATE-B");
        await StopAsync(admin, second);
        var v3 = await CommitAsync(admin, second);
        var onV3 = await StartAsync(admin, pc, imageId, "normal");
        var disk = await File.ReadAllBytesAsync(DiskOf(onV3));
        await StopAsync(admin, onV3);

        Assert.EndsWith(".qcow2", v2, StringComparison.Ordinal);
        Assert.Equal(v1File, v2Backing);
        Assert.Equal(v2, await BackingOfAsync(v3));
        Assert.False(File.Exists(v1File), "v1 was not pruned");
        Assert.Null(await BackingOfAsync(v2));
        Assert.Equal("UPDATE-A", Encoding.ASCII.GetString(disk, 0, 8));
        Assert.Equal("UPDATE-B", Encoding.ASCII.GetString(disk, 1 << 20, 8));
    }

    [Fact]
    public async Task ABaseUnderARunningSession_StaysUntilALaterCommit_ThenGoes()
    {
        using var admin = await App.CreateAdminClientAsync();
        var imageId = await App.AddImageAsync(TestNames.Unique("busy"));
        var v1File = Path.Combine(App.DataDirectory, (await ImageNameAsync(admin, imageId)) + ".img");
        var pc = await MachineAsync(admin);
        var other = await MachineAsync(admin);

        var first = await StartAsync(admin, pc, imageId, "maintenance");
        await WriteAtAsync(first, 0, "UPDATE-A");
        await StopAsync(admin, first);
        var v2 = await CommitAsync(admin, first);
        // A PC plays on v2 while v3 is made: v2's file is open under its overlay, so v1 can't be folded into it.
        var playing = await StartAsync(admin, other, imageId, "normal");
        var second = await StartAsync(admin, pc, imageId, "maintenance");
        await WriteAtAsync(second, 1 << 20, "UPDATE-B");
        await StopAsync(admin, second);
        await CommitAsync(admin, second);
        var v1Stayed = File.Exists(v1File);
        var audit = await AuditAsync(admin);
        var playingDisk = await File.ReadAllBytesAsync(DiskOf(playing));
        await StopAsync(admin, playing);

        // Once nobody plays on v2, the next commit folds the chain and both old versions go.
        var third = await StartAsync(admin, pc, imageId, "maintenance");
        await WriteAtAsync(third, 2 << 20, "UPDATE-C");
        await StopAsync(admin, third);
        await CommitAsync(admin, third);
        var onV4 = await StartAsync(admin, pc, imageId, "normal");
        var disk = await File.ReadAllBytesAsync(DiskOf(onV4));
        await StopAsync(admin, onV4);

        Assert.True(v1Stayed, "v1 was pruned while v2, built on it, was in use");
        Assert.Contains("image.version-retained", audit);
        Assert.Equal("UPDATE-A", Encoding.ASCII.GetString(playingDisk, 0, 8));
        Assert.False(File.Exists(v1File), "v1 was not pruned once it could be");
        Assert.False(File.Exists(v2), "v2 was not pruned once it could be");
        Assert.Equal("UPDATE-A", Encoding.ASCII.GetString(disk, 0, 8));
        Assert.Equal("UPDATE-B", Encoding.ASCII.GetString(disk, 1 << 20, 8));
        Assert.Equal("UPDATE-C", Encoding.ASCII.GetString(disk, 2 << 20, 8));
    }

    [Fact]
    public async Task DeadExport_IsRestarted_AndItsTargetRemadeOnIt()
    {
        using var admin = await App.CreateAdminClientAsync();
        var imageId = await App.AddImageAsync(TestNames.Unique("heal"));
        var session = await StartAsync(admin, await MachineAsync(admin), imageId, "normal");
        var pidFile = Path.Combine(App.DiskDirectory, ".exports", $"session-{session}.img.pid");
        var killed = (await File.ReadAllTextAsync(pidFile)).Trim();

        await Cli.Wrap("kill").WithArguments(["-KILL", killed]).ExecuteAsync();
        var restarted = await WaitForNewDaemonAsync(DiskOf(session), pidFile, killed);
        var target = await WaitForTargetWithLunAsync(session);
        var disk = await File.ReadAllBytesAsync(DiskOf(session));
        var state = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}")).GetProperty("state").GetString();
        await StopAsync(admin, session);

        Assert.NotEqual(killed, restarted);
        Assert.Equal([DiskOf(session)], target.LunPaths);
        Assert.Equal("GGNET-GOLDEN", Encoding.ASCII.GetString(disk, 0, 12));
        Assert.Equal("ready", state);
        Assert.Contains("session.reconciled", await AuditAsync(admin));
    }

    private async Task WriteAtAsync(int sessionId, long offset, string text)
    {
        await using var disk = new FileStream(DiskOf(sessionId), FileMode.Open, FileAccess.Write);
        disk.Position = offset;
        await disk.WriteAsync(Encoding.ASCII.GetBytes(text));
    }

    // The version's file, where the image folder keeps it.
    private async Task<string> CommitAsync(HttpClient admin, int sessionId)
    {
        var response = await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/commit", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        var version = await response.Content.ReadFromJsonAsync<JsonElement>();
        return Path.Combine(App.DataDirectory, "images", $"image-{version.GetProperty("imageId").GetInt32()}-v{version.GetProperty("number").GetInt32()}.qcow2");
    }

    private static async Task<string?> BackingOfAsync(string path)
    {
        var info = JsonDocument.Parse((await Cli.Wrap("qemu-img").WithArguments(["info", "-U", "--output=json", path]).ExecuteBufferedAsync()).StandardOutput).RootElement;
        return info.TryGetProperty("full-backing-filename", out var backing) ? backing.GetString() : null;
    }

    // The reconcile remakes the target after restarting the export: a moment later it has its LUN again.
    private async Task<GGnet.Core.Iscsi.IscsiTargetState> WaitForTargetWithLunAsync(int session)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            var target = (await App.Services.GetRequiredService<TgtBackend>().ListTargetsAsync(CancellationToken.None))
                .SingleOrDefault(t => t.Target.Value.EndsWith($"session.{session}", StringComparison.Ordinal));
            if (target is { LunPaths.Count: > 0 })
            {
                return target;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the target of session {session} was not remade within 30 seconds");
    }

    private static async Task<string> WaitForNewDaemonAsync(string disk, string pidFile, string killed)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            var pid = File.Exists(pidFile) ? (await File.ReadAllTextAsync(pidFile)).Trim() : "";
            if (pid.Length > 0 && pid != killed && FuseExports.IsServed(disk))
            {
                return pid;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the killed export was not restarted within 30 seconds");
    }
}
