using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using GGnet.Tests.Support.ScaleOut;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GGnet.Tests.Web.ScaleOut;

/// <summary>
/// Two GGnet processes (nodes n1 and n2) on one PostgreSQL and one Redis, each with its own tgtd and disk folder: work
/// on a node's storage runs only on that node, each session is provisioned once, a browser on one node sees what the
/// other did, and a node that dies has its sessions failed with a reason by the other.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ImageStoredOnN2_SessionsStartedThroughBothNodes_AreProvisionedOnceEach_OnN2Only()
    {
        await using var cluster = await TwoNodeCluster.StartAsync();
        var imageId = await cluster.N2.ImportImageAsync("hall-b", mebibytes: 8);
        using var n1 = await cluster.N1.Process.CreateAdminClientAsync();
        using var n2 = await cluster.N2.Process.CreateAdminClientAsync();
        var image = await n1.GetFromJsonAsync<JsonElement>($"/api/v1/images/{imageId}");
        Assert.Equal("n2", image.GetProperty("node").GetString());
        // The conversion was n2's job: the version is in n2's image folder, and n1 has none.
        var version = $"image-{imageId}-v1.img";
        Assert.True(File.Exists(Path.Combine(cluster.N2.Data, "images", version)), $"n2 has no {version}");
        Assert.False(File.Exists(Path.Combine(cluster.N1.Data, "images", version)), $"n1 has {version} too");

        var machines = await TwoNodeCluster.AddMachinesAsync(n1, "seat", 8);
        // Half the starts go through n1, half through n2, at the same time.
        var started = await Task.WhenAll(machines.Select((id, i) => (i % 2 == 0 ? n1 : n2).PostAsJsonAsync("/api/v1/sessions/start", new { machineId = id, imageId })));
        var sessions = new List<int>();
        foreach (var response in started)
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            sessions.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }
        foreach (var id in sessions)
        {
            var ready = await n1.WaitForSessionStateAsync(id, "ready", TimeSpan.FromSeconds(60));
            Assert.Equal("n2", ready.GetProperty("node").GetString());
        }

        Assert.Equal(sessions.Select(id => TwoNodeCluster.TargetPrefix + id).Order(), (await cluster.N2.TargetsAsync()).Order());
        Assert.Empty(await cluster.N1.TargetsAsync());
        Assert.Equal(sessions.Count, cluster.N2.DiskFiles.Count);
        Assert.Empty(cluster.N1.DiskFiles);
        var readyEvents = await n2.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=session.ready&pageSize=100");
        Assert.Equal(sessions.Order(), readyEvents.GetProperty("items").EnumerateArray().Select(e => int.Parse(e.GetProperty("entityId").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).Order());

        // The PC's script points at n2's portal; n1 runs the boot services and wrote it into its TFTP root, told through Redis.
        var script = await n1.GetStringAsync($"/api/v1/sessions/machine/{machines[0]}/boot-script");
        Assert.Contains($"sanboot iscsi:{cluster.N2.Portal}:::1:{TwoNodeCluster.TargetPrefix}{sessions[0]}", script, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => Directory.Exists(Path.Combine(cluster.N1.Tftp, "machines"))
            && Directory.GetFiles(Path.Combine(cluster.N1.Tftp, "machines"), "*.ipxe").Count(f => File.ReadAllText(f).Contains("iscsi:" + cluster.N2.Portal, StringComparison.Ordinal)) == sessions.Count,
            "n1's TFTP scripts never pointed every PC at n2's portal");

        // n2's files are n2's to change: n1 refuses with where to go, and the image stays.
        var deleteThroughN1 = await n1.DeleteAsync(new Uri($"/api/v1/images/{imageId}", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, deleteThroughN1.StatusCode);
        Assert.Contains("Image 'hall-b' is stored on node n2, not on this node (n1). Open GGnet on n2 and do it there.", await deleteThroughN1.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await n1.GetAsync(new Uri($"/api/v1/images/{imageId}", UriKind.Relative))).StatusCode);

        var nodes = await n1.GetFromJsonAsync<JsonElement>("/api/v1/nodes");
        Assert.Equal(["n1", "n2"], nodes.EnumerateArray().Select(n => n.GetProperty("name").GetString()!).ToArray());
        Assert.All(nodes.EnumerateArray(), n => Assert.True(n.GetProperty("up").GetBoolean()));
        Assert.Equal(sessions.Count, nodes.EnumerateArray().Single(n => n.GetProperty("name").GetString() == "n2").GetProperty("activeSessions").GetInt32());

        // Stops asked of n1 are n2's work too: its targets and disks go.
        foreach (var id in sessions.Take(3))
        {
            (await n1.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }
        foreach (var id in sessions.Take(3))
        {
            await n1.WaitForSessionStateAsync(id, "stopped", TimeSpan.FromSeconds(60));
        }
        Assert.Equal(sessions.Skip(3).Select(id => TwoNodeCluster.TargetPrefix + id).Order(), (await cluster.N2.TargetsAsync()).Order());
        Assert.Equal(sessions.Count - 3, cluster.N2.DiskFiles.Count);
    }

    [Fact]
    public async Task BrowserOnN2_SeesASessionStartedThroughN1_GoReady_WithoutReload()
    {
        await using var cluster = await TwoNodeCluster.StartAsync();
        var imageId = await cluster.N1.ImportImageAsync("hall-a", mebibytes: 4);
        using var n1 = await cluster.N1.Process.CreateAdminClientAsync();
        var machineId = (await TwoNodeCluster.AddMachinesAsync(n1, "live", 1))[0];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(BrowserAppFactory.ChromiumOptions);
        await using var context = await browser.NewContextAsync(BrowserLogin.At(cluster.N2.Process.BaseAddress));
        var page = await BrowserLogin.OpenAsAdminAsync(context, "/", GGnetProcess.AdminPassword, "#tile-group");
        var tile = page.Locator(".ggnet-tile[data-machine='live-01']");
        await tile.WaitForAsync();
        await page.EvaluateAsync("() => window.ggnetNoReload = 'still here'");

        var started = await n1.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId });
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await n1.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(60));
        await tile.Locator("text=Ready").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.ggnetNoReload"));
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("scale-out-dashboard-n2.png"), FullPage = true });

        await page.GotoAsync("/settings");
        await page.Locator("#nodes tr[data-node='n1'][data-up='true']").WaitForAsync();
        await page.Locator("#nodes tr[data-node='n2'][data-up='true']").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathOf("scale-out-settings-n2.png"), FullPage = true });
    }

    [Fact]
    public async Task StatusHubClientOnN2_HearsAMachineEditedThroughN1_ExactlyOnce()
    {
        await using var cluster = await TwoNodeCluster.StartAsync();
        using var n1 = await cluster.N1.Process.CreateAdminClientAsync();
        var machineId = (await TwoNodeCluster.AddMachinesAsync(n1, "hub", 1))[0];
        var heard = new List<int>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = await ConnectToStatusHubAsync(cluster.N2.Process);
        hub.On<int>("machineChanged", id =>
        {
            if (id != machineId)
            {
                listening.TrySetResult();
                return;
            }
            lock (heard)
            {
                heard.Add(id);
            }
            first.TrySetResult();
        });
        await hub.StartAsync();
        // SignalR answers the handshake before it counts the connection among those it sends to: another machine edited
        // on N2 until the client hears of it tells that it does.
        using var n2 = await cluster.N2.Process.CreateAdminClientAsync();
        var other = (await TwoNodeCluster.AddMachinesAsync(n2, "listening", 1))[0];
        for (var edit = 1; !listening.Task.IsCompleted && edit <= 40; edit++)
        {
            (await n2.PutAsJsonAsync($"/api/v1/machines/{other}", new { name = "listening-01", macAddress = TwoNodeCluster.MacOf("listening", 1), description = $"edit {edit}" }))
                .EnsureSuccessStatusCode();
            await Task.WhenAny(listening.Task, Task.Delay(250));
        }
        await listening.Task.WaitAsync(TimeSpan.Zero);

        var edited = await n1.PutAsJsonAsync($"/api/v1/machines/{machineId}", new { name = "hub-01", macAddress = TwoNodeCluster.MacOf("hub", 1), description = "front row" });
        edited.EnsureSuccessStatusCode();

        await first.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(1000);
        lock (heard)
        {
            // Sent once, by the node that made the change, through the backplane: not again by the node that heard of it.
            Assert.Equal([machineId], heard);
        }
    }

    [Fact]
    public async Task N1KilledWhileProvisioning_N2FailsItsSessionsWithAReason_ShowsItDown_AndN1CleansUpWhenBack()
    {
        const int Pcs = 30;
        const int ReadyBefore = 2;
        await using var cluster = await TwoNodeCluster.StartAsync();
        var imageId = await cluster.N1.ImportImageAsync("hall-a", mebibytes: 8);
        using var n2 = await cluster.N2.Process.CreateAdminClientAsync();
        var machineIds = await TwoNodeCluster.AddMachinesAsync(n2, "pc", Pcs);

        // Two PCs are ready, then n1's tgtd stalls, so the kill finds the others queued and half-way (disks copied,
        // targets asked for) however fast n1 works.
        (await n2.PostAsJsonAsync("/api/v1/sessions/start-many", new { machineIds = machineIds[..ReadyBefore], imageId })).EnsureSuccessStatusCode();
        await n2.WaitForAsync("/api/v1/sessions?pageSize=100", page => Sessions(page).Count(s => State(s) is "ready" or "booting") == ReadyBefore, TimeSpan.FromSeconds(60));
        await cluster.N1.Tgtd.PauseAsync();
        (await n2.PostAsJsonAsync("/api/v1/sessions/start-many", new { machineIds = machineIds[ReadyBefore..], imageId })).EnsureSuccessStatusCode();
        await Eventually.HoldsAsync(() => cluster.N1.DiskFiles.Count > ReadyBefore, "no session of the storm copied its disk on n1");
        await cluster.N1.Process.KillAsync();
        var atKill = Sessions(await n2.GetFromJsonAsync<JsonElement>("/api/v1/sessions?pageSize=100"));
        var killedAt = DateTime.UtcNow;
        // What the dead n1 asked of its tgtd is done now: targets nobody owns, for n1's start-up reconcile below.
        await cluster.N1.Tgtd.ResumeAsync();

        var settled = Sessions(await n2.WaitForAsync("/api/v1/sessions?pageSize=100", page => Sessions(page).All(s => State(s) == "failed"), TimeSpan.FromSeconds(20)));
        output.WriteLine($"at the kill: {string.Join(", ", atKill.GroupBy(State).Select(g => $"{g.Count()} {g.Key}"))}; all failed {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s later");
        Assert.Contains(atKill, s => State(s) is "pending" or "provisioning");
        Assert.Equal(Pcs, settled.Count);
        Assert.All(settled, s => Assert.Contains("storage node n1 stopped answering", s.GetProperty("failureReason").GetString(), StringComparison.Ordinal));

        var nodes = await n2.GetFromJsonAsync<JsonElement>("/api/v1/nodes");
        var n1 = nodes.EnumerateArray().Single(n => n.GetProperty("name").GetString() == "n1");
        Assert.False(n1.GetProperty("up").GetBoolean());
        Assert.StartsWith("Down: not heard from since", n1.GetProperty("sentence").GetString(), StringComparison.Ordinal);
        var onDeadNode = await n2.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = machineIds[0], imageId });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, onDeadNode.StatusCode);
        Assert.Contains("Image 'hall-a' is stored on node n1, which is not answering", await onDeadNode.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Back, n1's start-up reconcile removes what its dead sessions left in its tgtd and disk folder; jobs still queued for
        // it find their sessions failed and do nothing.
        await cluster.N1.Process.StartAsync();
        await Eventually.HoldsAsync(async () => (await cluster.N1.TargetsAsync()).Count == 0 && cluster.N1.DiskFiles.Count == 0, "n1 kept targets or disks of failed sessions");
        await n2.WaitForAsync("/api/v1/nodes", list => list.EnumerateArray().All(n => n.GetProperty("up").GetBoolean()), TimeSpan.FromSeconds(10));
        await Task.Delay(2000);
        Assert.All(Sessions(await n2.GetFromJsonAsync<JsonElement>("/api/v1/sessions?pageSize=100")), s => Assert.Equal("failed", State(s)));
        Assert.Empty(await cluster.N1.TargetsAsync());
    }

    private static async Task<HubConnection> ConnectToStatusHubAsync(GGnetProcess node)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        var token = (await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetProcess.AdminPassword }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        return new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, "/hubs/status"), options => options.AccessTokenProvider = () => Task.FromResult(token))
            .Build();
    }

    private static List<JsonElement> Sessions(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    private static string State(JsonElement session) => session.GetProperty("state").GetString()!;
}
