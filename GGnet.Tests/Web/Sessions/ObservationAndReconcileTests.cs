using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Sessions;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Sessions;

/// <summary>Boot stages come from what is observed (leases, iSCSI logins), and reconcile converges the real tgtd with the database.</summary>
[Collection(WebAppTests.Name)]
public sealed class ObservationAndReconcileTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task InitiatorLogin_MakesTheSessionOnline_AndItsLossMakesThePcOffline()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (machineId, mac, id) = await StartReadySessionAsync(admin);
        using var stopPerf = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var perf = LogInAsync(mac, id, stopPerf.Token);

        var online = await admin.WaitForSessionStateAsync(id, "online");
        var onlineMachine = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{machineId}");
        await LogOutAsync(stopPerf, perf);
        var offlineMachine = await admin.WaitForAsync($"/api/v1/machines/{machineId}", m => m.GetProperty("bootStage").GetString() == "offline");
        var afterwards = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}");

        Assert.NotEqual(JsonValueKind.Null, online.GetProperty("onlineAt").ValueKind);
        Assert.Equal("online", onlineMachine.GetProperty("bootStage").GetString());
        Assert.Equal("offline", offlineMachine.GetProperty("bootStage").GetString());
        Assert.Equal("ready", afterwards.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ALease_ThenAnIscsiLogin_IsOneMeasuredBoot_FromTheLeaseToOnline()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (machineId, mac, id) = await StartReadySessionAsync(admin);
        // dhcpd writes whole seconds: the lease is written in the next second, so that it is after the session was ready.
        await Task.Delay(1001 - DateTime.UtcNow.Millisecond);
        await File.AppendAllTextAsync(app.LeasesPath, $"lease 10.99.0.123 {{\n  starts 5 {DateTime.UtcNow:yyyy/MM/dd HH:mm:ss};\n  binding state active;\n  hardware ethernet {mac};\n}}\n");
        await admin.WaitForAsync($"/api/v1/machines/{machineId}", m => m.GetProperty("bootStage").GetString() == "dhcpLease");
        using var stopPerf = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var perf = LogInAsync(mac, id, stopPerf.Token);

        var online = await admin.WaitForSessionStateAsync(id, "online");
        await LogOutAsync(stopPerf, perf);
        IReadOnlyList<BootDuration> boots;
        IReadOnlyDictionary<int, double> shownOnTheSessionsPage;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            boots = await scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.ISessionRepository>().ListBootDurationsAsync(DateTime.UtcNow.AddHours(-1), CancellationToken.None);
            var session = (await scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.ISessionRepository>().FindAsync(id, CancellationToken.None))!;
            shownOnTheSessionsPage = await scope.ServiceProvider.GetRequiredService<ListSessions>().BootSecondsAsync([session], CancellationToken.None);
        }
        var chart = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions/boot-durations?hours=2");
        var tooLong = await admin.GetAsync(new Uri("/api/v1/sessions/boot-durations?hours=1000", UriKind.Relative));

        var boot = Assert.Single(boots, b => b.MachineId == machineId);
        var readyAt = online.GetProperty("readyAt").GetDateTime().ToUniversalTime();
        Assert.InRange(boot.StartedAt, readyAt, boot.OnlineAt);
        Assert.Equal(online.GetProperty("onlineAt").GetDateTime().ToUniversalTime(), boot.OnlineAt, TimeSpan.FromMilliseconds(1));
        Assert.True(boot.Seconds > 0, $"a boot takes time, measured {boot.Seconds} s");
        // The Sessions page shows the same figure as the dashboard's chart: one definition of a boot time.
        Assert.Equal(boot.Seconds, shownOnTheSessionsPage[id], 6);
        Assert.Equal(2, chart.GetProperty("hours").GetArrayLength());
        Assert.True(chart.GetProperty("boots").GetInt32() >= 1);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task DhcpLease_InTheLeasesFile_IsSeenAsTheMachinesStage()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mac = TestMacs.Next();
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("l"), macAddress = mac })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        await File.AppendAllTextAsync(app.LeasesPath, $"lease 10.99.0.120 {{\n  starts 5 {DateTime.UtcNow:yyyy/MM/dd HH:mm:ss};\n  binding state active;\n  hardware ethernet {mac};\n}}\n");
        var machine = await admin.WaitForAsync($"/api/v1/machines/{machineId}", m => m.GetProperty("bootStage").GetString() == "dhcpLease");

        Assert.NotEqual(JsonValueKind.Null, machine.GetProperty("lastSeen").ValueKind);
    }

    [Fact]
    public async Task DhcpLease_GivenBeforeGGnetStarted_IsNotTakenForABoot()
    {
        using var admin = await app.CreateAdminClientAsync();
        var oldMac = TestMacs.Next();
        var newMac = TestMacs.Next();
        var oldId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("old"), macAddress = oldMac })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var newId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("new"), macAddress = newMac })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        // Read again after a restart, yesterday's lease of a PC that is off must not show it booting.
        await File.AppendAllTextAsync(app.LeasesPath,
            $"lease 10.99.0.121 {{\n  starts 5 {DateTime.UtcNow.AddHours(-1):yyyy/MM/dd HH:mm:ss};\n  binding state active;\n  hardware ethernet {oldMac};\n}}\n" +
            $"lease 10.99.0.122 {{\n  starts 5 {DateTime.UtcNow:yyyy/MM/dd HH:mm:ss};\n  binding state active;\n  hardware ethernet {newMac};\n}}\n");
        await admin.WaitForAsync($"/api/v1/machines/{newId}", m => m.GetProperty("bootStage").GetString() == "dhcpLease");
        var old = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{oldId}");

        Assert.Equal("idle", old.GetProperty("bootStage").GetString());
    }

    [Fact]
    public async Task StoppingTheSessionOfAnOnlinePc_ShowsThePcOffline()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (machineId, _, id) = await StartReadySessionAsync(admin);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.IBootRepository>()
                .RecordObservationAsync(machineId, GGnet.Core.Domain.Machines.BootStage.Online, null, DateTime.UtcNow, CancellationToken.None);
        }

        (await admin.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(id, "stopped");
        var machine = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{machineId}");

        Assert.Equal("offline", machine.GetProperty("bootStage").GetString());
    }

    [Fact]
    public async Task Reconcile_RecreatesADeletedTarget_AndRemovesOrphansOfOursOnly()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (_, _, id) = await StartReadySessionAsync(admin);
        await ClearOfTheMinutelyReconcileAsync();
        await DeleteTargetAsync($"iqn.2024-01.net.ggnet:session.{id}");
        var orphanDisk = Path.Combine(app.DiskDirectory, "session-99999.img");
        await File.WriteAllTextAsync(orphanDisk, "left over");
        await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "900", "-T", "iqn.2024-01.net.ggnet:session.99999");
        await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "901", "-T", "iqn.2024-01.com.example:not-ours");

        ReconcileReport report;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            report = await scope.ServiceProvider.GetRequiredService<ReconcileSessions>().ExecuteAsync(CancellationToken.None);
        }
        var listing = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        await DeleteTargetAsync("iqn.2024-01.com.example:not-ours");

        Assert.Contains($"iqn.2024-01.net.ggnet:session.{id}\n", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("session.99999", listing, StringComparison.Ordinal);
        Assert.Contains("iqn.2024-01.com.example:not-ours", listing, StringComparison.Ordinal);
        Assert.False(File.Exists(orphanDisk));
        Assert.True(File.Exists(Path.Combine(app.DiskDirectory, $"session-{id}.img")));
        Assert.Equal("ready", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}")).GetProperty("state").GetString());
        Assert.True(report.Changed);
    }

    [Fact]
    public async Task TgtdRestartedUnderGGnet_LosesItsTargets_AndReconcileRecreatesThemForTheActiveSession()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (_, mac, id) = await StartReadySessionAsync(admin);
        var iqn = $"iqn.2024-01.net.ggnet:session.{id}";
        await ClearOfTheMinutelyReconcileAsync();

        await app.Tgtd.RestartAsync();
        var afterRestart = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        ReconcileReport report;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            report = await scope.ServiceProvider.GetRequiredService<ReconcileSessions>().ExecuteAsync(CancellationToken.None);
        }
        var afterReconcile = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        var session = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var login = LogInAsync(mac, id, stop.Token);
        var online = await admin.WaitForSessionStateAsync(id, "online");
        await LogOutAsync(stop, login);

        Assert.DoesNotContain(iqn, afterRestart, StringComparison.Ordinal);
        Assert.Contains(iqn, afterReconcile, StringComparison.Ordinal);
        Assert.Contains("LUN: 1", afterReconcile[afterReconcile.IndexOf(iqn, StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.True(report.Healed >= 1, $"reconcile reported {report}");
        Assert.Equal("ready", session.GetProperty("state").GetString());
        Assert.Equal("online", online.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Reconcile_SessionWhoseDiskIsGone_FailsWithAReason()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (_, _, id) = await StartReadySessionAsync(admin);
        await ClearOfTheMinutelyReconcileAsync();
        await DeleteTargetAsync($"iqn.2024-01.net.ggnet:session.{id}");
        File.Delete(Path.Combine(app.DiskDirectory, $"session-{id}.img"));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReconcileSessions>().ExecuteAsync(CancellationToken.None);
        }
        var session = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}");

        Assert.Equal("failed", session.GetProperty("state").GetString());
        Assert.Contains("disk", session.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_LeavesASessionStoppedAfterItsFirstRead_Stopped()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (_, _, id) = await StartReadySessionAsync(admin);
        var readEarlier = await ActiveSessionsAsync();
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{id}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(id, "stopped");

        // The pass read the session Ready; its target and disk are gone by the time it works on it.
        var report = await ReconcileWithAsync(readEarlier);
        var session = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}");

        Assert.Equal("stopped", session.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("failureReason").ValueKind);
        Assert.Equal(0, report.Failed);
        Assert.True(report.Skipped >= 1, $"reconcile reported {report}");
    }

    [Fact]
    public async Task Reconcile_LeavesTheTargetAndDiskOfASessionStartedDuringThePass()
    {
        using var admin = await app.CreateAdminClientAsync();
        var readEarlier = await ActiveSessionsAsync();
        var (_, _, id) = await StartReadySessionAsync(admin);

        var report = await ReconcileWithAsync(readEarlier);
        var listing = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;

        Assert.Contains($"iqn.2024-01.net.ggnet:session.{id}\n", listing, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app.DiskDirectory, $"session-{id}.img")), "the new session's disk was removed as a leftover");
        Assert.Equal(0, report.OrphanTargetsRemoved);
        Assert.Equal(0, report.OrphanDisksRemoved);
        Assert.Equal("ready", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}")).GetProperty("state").GetString());
    }

    private async Task<IReadOnlyList<GGnet.Core.Domain.Sessions.Session>> ActiveSessionsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.ISessionRepository>().ListActiveAsync(CancellationToken.None);
    }

    private async Task<ReconcileReport> ReconcileWithAsync(IReadOnlyList<GGnet.Core.Domain.Sessions.Session> readEarlier)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sessions = new StaleActiveSessions(scope.ServiceProvider.GetRequiredService<GGnet.Core.Ports.ISessionRepository>(), readEarlier);
        return await ActivatorUtilities.CreateInstance<ReconcileSessions>(scope.ServiceProvider, (GGnet.Core.Ports.ISessionRepository)sessions).ExecuteAsync(CancellationToken.None);
    }

    private async Task DeleteTargetAsync(string iqn)
    {
        var listing = (await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        var line = listing.Split('\n').FirstOrDefault(l => l.StartsWith("Target ", StringComparison.Ordinal) && l.EndsWith(": " + iqn, StringComparison.Ordinal));
        if (line is not null)
        {
            await app.Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", line[7..line.IndexOf(':', StringComparison.Ordinal)], "--force");
        }
    }

    // The PC's iSCSI initiator logs in to its session's target (libiscsi's iscsi-perf keeps reading until cancelled).
    private Task LogInAsync(string mac, int sessionId, CancellationToken stop) => Cli.Wrap("/usr/bin/iscsi-perf")
        .WithArguments(["-i", "iqn.2024-01.net.ggnet:initiator." + mac.Replace(":", "", StringComparison.Ordinal), "-m", "1",
            $"iscsi://127.0.0.1:{app.Tgtd.IscsiPort}/iqn.2024-01.net.ggnet:session.{sessionId}/1"])
        .WithValidation(CommandResultValidation.None)
        .ExecuteBufferedAsync(stop);

    private static async Task LogOutAsync(CancellationTokenSource stop, Task login)
    {
        await stop.CancelAsync();
        try
        {
            await login;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<(int MachineId, string Mac, int SessionId)> StartReadySessionAsync(HttpClient admin)
    {
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var mac = TestMacs.Next();
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("o"), macAddress = mac })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var id = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(id, "ready");
        return (machineId, mac, id);
    }

    // The app's own reconcile runs each minute in its first seconds: it must not heal what a test breaks for its own call.
    private static Task ClearOfTheMinutelyReconcileAsync() => WallClock.WaitForSecondsOfTheMinuteAsync(10, 50);
}
