using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Tests.Support;
using Xunit.Abstractions;

namespace GGnet.Tests.Web.Faults;

/// <summary>
/// GGnet killed (SIGKILL) in the middle of a storm of session starts (50 PCs in all, 3 of them ready before it), then
/// started again on the same data: the reconcile brings every session to Ready or Failed-with-a-reason within 10 s, and
/// leaves no target in the real tgtd, no disk file, no boot script and no dhcpd.conf entry that no session or machine owns.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Pcs = 50;
    private const int ReadyBefore = 3;
    private const string TargetPrefix = "iqn.2024-01.net.ggnet:session.";

    [Fact]
    public async Task KilledDuringAStormOf47SessionStarts_WithTgtdStalled_ARestartConvergesWithin10Seconds_AndLeavesNothingBehind()
    {
        await using var tgtd = await TgtDaemon.StartAsync();
        using var files = new TempDirectory();
        var data = Path.Combine(files.Path, "data");
        var disks = Path.Combine(files.Path, "disks");
        var tftp = Path.Combine(files.Path, "tftp");
        var dhcpdConf = Path.Combine(files.Path, "dhcpd.conf");
        var restarts = new RestartCounter(files.Path);
        await using var app = new GGnetProcess(data,
        [
            .. BootAppFactory.NetworkSettings,
            ("Lab:Enabled", "false"),
            ("Boot:TftpRoot", tftp),
            ("Boot:SyncDelayMilliseconds", "100"),
            ("Dhcp:ConfigPath", dhcpdConf),
            ("Dhcp:RestartCommand", restarts.Command),
            ("Dhcp:LeasesPath", Path.Combine(files.Path, "dhcpd.leases")),
            ("Iscsi:Backend", "Tgt"),
            // The PCs' TFTP scripts show their targets only without CHAP (with it, they send the PC to HTTP).
            ("Iscsi:Chap", "Off"),
            ("Iscsi:TgtControlPort", tgtd.ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Iscsi:TgtIpcSocket", tgtd.IpcSocket),
            ("Storage:DiskDirectory", disks),
            ("Storage:CloneStrategy", "Copy"),
        ]);
        await app.StartAsync();
        var imageId = await ImportImageAsync(app, data);
        var machineIds = await AddMachinesAsync(app);

        using (var api = await app.CreateAdminClientAsync())
        {
            // Some PCs are ready before the storm. Then tgtd stalls, so the kill lands while the storm is queued and
            // half-way (disks copied, targets asked for but not made) however fast this machine runs the starts.
            (await api.PostAsJsonAsync("/api/v1/sessions/start-many", new { machineIds = machineIds[..ReadyBefore], imageId })).EnsureSuccessStatusCode();
            await api.WaitForAsync("/api/v1/sessions?pageSize=100", page => Sessions(page).Count(IsUp) == ReadyBefore, TimeSpan.FromSeconds(60));
            await tgtd.PauseAsync();
            (await api.PostAsJsonAsync("/api/v1/sessions/start-many", new { machineIds = machineIds[ReadyBefore..], imageId })).EnsureSuccessStatusCode();
            await Eventually.HoldsAsync(() => Directory.Exists(disks) && Directory.GetFiles(disks).Length > ReadyBefore,
                "no session of the storm copied its disk within 60 s", TimeSpan.FromSeconds(60));
        }
        await app.KillAsync();
        var atKill = await SessionsInTheDatabaseAsync(data);
        // Requests the killed GGnet left in tgtd's sockets are answered now, before the restart: targets nobody owns.
        await tgtd.ResumeAsync();
        await app.StartAsync();
        using var admin = await app.CreateAdminClientAsync();
        var restartedAt = DateTime.UtcNow;

        List<JsonElement> settled;
        Reality reality;
        do
        {
            await Task.Delay(250);
            settled = Sessions(await admin.GetFromJsonAsync<JsonElement>("/api/v1/sessions?pageSize=100"));
            reality = await Reality.ReadAsync(tgtd, disks, tftp, dhcpdConf);
        }
        while (!Converged(settled, reality) && DateTime.UtcNow - restartedAt < TimeSpan.FromSeconds(10));

        output.WriteLine($"at the kill: {string.Join(", ", atKill.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"))}; " +
            $"{(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s after the restart: {string.Join(", ", settled.GroupBy(State).Select(g => $"{g.Count()} {g.Key}"))}");
        Assert.Contains("Pending", atKill);
        Assert.Contains("Provisioning", atKill);
        Assert.Equal(Pcs, settled.Count);
        Assert.All(settled, s => Assert.True(IsUp(s) || (State(s) == "failed" && s.GetProperty("failureReason").GetString() is { Length: > 0 }),
            $"session {s.GetProperty("id")} is {State(s)} 10 s after the restart"));
        var ready = settled.Where(IsUp).ToList();
        Assert.Equal(ready.Select(s => TargetPrefix + s.GetProperty("id").GetInt32()).Order(), reality.Targets.Order());
        Assert.Equal(ready.Select(s => s.GetProperty("id").GetInt32()).Order(), reality.DiskSessions.Order());
        Assert.Equal(ready.Select(s => TargetPrefix + s.GetProperty("id").GetInt32()).Order(), reality.ScriptTargets.Order());
        Assert.Equal(Pcs, reality.DhcpHosts);
        Assert.Equal(Pcs, reality.Scripts);
        var check = await Cli.Wrap("/usr/sbin/dhcpd").WithArguments(["-t", "-q", "-4", "-cf", dhcpdConf]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(check.ExitCode == 0, check.StandardError);
        foreach (var failed in settled.Where(s => State(s) == "failed"))
        {
            Assert.Contains("Start the session again", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        }
    }

    private static bool Converged(List<JsonElement> sessions, Reality reality) =>
        sessions.All(s => IsUp(s) || State(s) == "failed")
        && reality.Targets.Count == sessions.Count(IsUp)
        && reality.DiskSessions.Count == reality.Targets.Count
        && reality.ScriptTargets.Count == reality.Targets.Count;

    // Reading a PC's script file here counts as its TFTP download (GGnet watches the access time): Ready then shows Booting.
    private static bool IsUp(JsonElement session) => State(session) is "ready" or "booting";

    private static List<JsonElement> Sessions(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    private static string State(JsonElement session) => session.GetProperty("state").GetString()!;

    // Read straight from the file while GGnet is down: what the kill left behind.
    private static async Task<List<string>> SessionsInTheDatabaseAsync(string data)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "ggnet.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"State\" FROM \"Sessions\"";
        var states = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states.Add(reader.GetString(0));
        }
        return states;
    }

    private static async Task<int> ImportImageAsync(GGnetProcess app, string data)
    {
        Directory.CreateDirectory(Path.Combine(data, "import"));
        await File.WriteAllBytesAsync(Path.Combine(data, "import", "golden.img"), Enumerable.Range(0, 8 << 20).Select(i => (byte)i).ToArray());
        using var api = await app.CreateAdminClientAsync();
        var image = await (await api.PostAsJsonAsync("/api/v1/images/import", new { name = "golden", file = "golden.img" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = image.GetProperty("id").GetInt32();
        await api.WaitForAsync($"/api/v1/images/{id}", i => i.GetProperty("versions").EnumerateArray().Any(v => v.GetProperty("status").GetString() == "ready"), TimeSpan.FromSeconds(60));
        return id;
    }

    private static async Task<List<int>> AddMachinesAsync(GGnetProcess app)
    {
        using var api = await app.CreateAdminClientAsync();
        var ids = new List<int>();
        for (var i = 1; i <= Pcs; i++)
        {
            var created = await api.PostAsJsonAsync("/api/v1/machines", new { name = $"seat-{i:00}", macAddress = $"52:54:00:c0:00:{i:x2}" });
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }
        return ids;
    }

    /// <summary>What exists outside the database: targets in tgtd, session disk files, per-PC scripts, dhcpd.conf hosts.</summary>
    private sealed record Reality(List<string> Targets, List<int> DiskSessions, List<string> ScriptTargets, int Scripts, int DhcpHosts)
    {
        public static async Task<Reality> ReadAsync(TgtDaemon tgtd, string disks, string tftp, string dhcpdConf)
        {
            var listing = (await tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
            var targets = listing.Split('\n').Where(l => l.StartsWith("Target ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2].Trim()).ToList();
            var diskSessions = Directory.Exists(disks)
                ? Directory.EnumerateFiles(disks).Select(Path.GetFileName).Select(SessionOfDisk).OfType<int>().ToList()
                : [];
            var scripts = Directory.Exists(Path.Combine(tftp, "machines")) ? Directory.GetFiles(Path.Combine(tftp, "machines"), "*.ipxe") : [];
            var scriptTargets = scripts.Select(File.ReadAllText)
                .SelectMany(text => text.Split('\n').Where(l => l.StartsWith("sanboot ", StringComparison.Ordinal)))
                .Select(l => l[(l.IndexOf(TargetPrefix, StringComparison.Ordinal))..].Split(' ')[0])
                .ToList();
            var hosts = File.Exists(dhcpdConf) ? File.ReadAllLines(dhcpdConf).Count(l => l.TrimStart().StartsWith("host ", StringComparison.Ordinal)) : 0;
            return new Reality(targets, diskSessions, scriptTargets, scripts.Length, hosts);
        }

        // Every file in the disk directory counts: a partial copy is a leftover too.
        private static int? SessionOfDisk(string? file) =>
            file is not null && int.TryParse(new string(file.Where(char.IsAsciiDigit).ToArray()), out var id) ? id : -1;
    }
}
