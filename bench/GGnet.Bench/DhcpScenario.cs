using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Boot;
using GGnet.Core.Domain;

namespace GGnet.Bench;

/// <summary>
/// DHCP: GGnet's render of dhcpd.conf plus the real <c>dhcpd -t</c> check, against <c>dhcpd -t</c> alone on the same
/// file (1000 and 5000 hosts); and a storm of 100 machine edits in about a second, counting dhcpd restarts.
/// </summary>
public sealed class DhcpScenario(string appDirectory) : IScenario
{
    private const int Runs = 15;
    private const int Edits = 100;

    public string Name => "dhcp";

    public async Task<ScenarioResult> RunAsync(string machine)
    {
        var measures = new List<Measure>();
        var notes = new List<string>();
        foreach (var hosts in new[] { 1000, 5000 })
        {
            await MeasureRenderAsync(hosts, measures);
        }
        await MeasureEditStormAsync(measures, notes);
        notes.Add("Render + check is what GGnet does before a restart: build dhcpd.conf from the machines, write it, and have the real " +
            "`dhcpd -t` accept it; the floor is `dhcpd -t` alone on the very same file, in the same run. Medians of " +
            Runs.ToString(CultureInfo.InvariantCulture) + " runs each. Half the hosts have a fixed address.");
        return new ScenarioResult(Name, "DHCP: configuration render and restarts", "GGnet's renderer (Release) and Debian's isc-dhcp-server 4.4 `dhcpd -t`; " +
            "the edit storm against GGnet published in lab mode (its dhcpd in a namespace of its own).", DateTime.UtcNow, machine, measures, notes);
    }

    private static async Task MeasureRenderAsync(int hosts, List<Measure> measures)
    {
        var network = new NetworkSettingsInput
        {
            ServerAddress = "10.98.0.1", Interface = "eth1", Subnet = "10.98.0.0", Netmask = "255.255.0.0", Gateway = "10.98.0.254",
            DnsServers = ["10.98.0.1"], RangeStart = "10.98.200.1", RangeEnd = "10.98.250.250", BootBaseUrl = "http://10.98.0.1",
            DhcpMode = DhcpMode.Isc, WaitPollSeconds = 10,
        }.Parse().Settings ?? throw new InvalidOperationException("The benchmark's boot network is invalid.");
        var list = Enumerable.Range(1, hosts).Select(i => new DhcpHost(i, Hostname.Parse($"pc-{i:00000}"), MacAddress.Parse($"52:54:00:d0:{i >> 8:x2}:{i & 0xff:x2}"),
            i % 2 == 0 ? Ipv4Address.Parse($"10.98.{1 + (i >> 8)}.{i & 0xff}") : null)).ToList();
        var folder = Directory.CreateTempSubdirectory("ggnet-bench-dhcp-");
        var file = Path.Combine(folder.FullName, "dhcpd.conf");
        try
        {
            var withRender = new List<double>();
            var checkOnly = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var clock = Stopwatch.StartNew();
                await File.WriteAllTextAsync(file, DhcpdConfig.Render(network, list));
                await CheckAsync(file);
                withRender.Add(clock.Elapsed.TotalMilliseconds);

                clock.Restart();
                await CheckAsync(file);
                checkOnly.Add(clock.Elapsed.TotalMilliseconds);
            }
            var total = Percentiles.Of(withRender, 50);
            var floor = Percentiles.Of(checkOnly, 50);
            var label = hosts.ToString(CultureInfo.InvariantCulture);
            measures.Add(new Measure($"{label} hosts: render + write + dhcpd -t, median", total, "ms"));
            measures.Add(new Measure($"{label} hosts: dhcpd -t alone, median (floor)", floor, "ms"));
            measures.Add(new Measure($"{label} hosts: ratio to the floor", total / floor, "×", Goal: 1.5));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task CheckAsync(string file)
    {
        var check = await Cli.Wrap("/usr/sbin/dhcpd").WithArguments(["-t", "-q", "-4", "-cf", file]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException("dhcpd -t refused the rendered configuration: " + check.StandardError);
        }
    }

    // 100 machines renamed within about a second: GGnet waits for a quiet moment and restarts dhcpd once.
    private async Task MeasureEditStormAsync(List<Measure> measures, List<string> notes)
    {
        await using var app = new BenchApp(appDirectory);
        await app.StartAsync();
        using var api = await app.AdminClientAsync();
        await BenchApi.WaitForLabAsync(api);
        var csv = new StringBuilder("name,mac\n");
        for (var i = 1; i <= Edits; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"edit-{i:000},52:54:00:d1:00:{i:x2}\n");
        }
        (await api.PostAsync(new Uri("/api/v1/machines/import", UriKind.Relative), new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var before = await WaitForQuietAsync(api);
        var machines = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines?pageSize={Edits}&search=edit-")).GetProperty("items").EnumerateArray().ToList();

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(machines, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, token) =>
        {
            var renamed = new { name = m.GetProperty("name").GetString() + "-b", macAddress = m.GetProperty("macAddress").GetString() };
            (await api.PutAsJsonAsync($"/api/v1/machines/{m.GetProperty("id").GetInt32()}", renamed, token)).EnsureSuccessStatusCode();
        });
        var editSeconds = clock.Elapsed.TotalSeconds;
        var after = await WaitForQuietAsync(api);
        var restarts = after - before;

        measures.Add(new Measure($"{Edits} machine edits sent (8 at a time)", editSeconds, "s"));
        measures.Add(new Measure($"dhcpd restarts for those {Edits} edits", restarts, "", Goal: 1));
        notes.Add($"The edit storm renames {Edits} machines through the REST API; restarts are counted from GGnet's audit trail " +
            "(`dhcp.applied`: a checked configuration installed and dhcpd restarted), once no restart has come for 8 s.");
    }

    // The number of dhcpd restarts so far, once none has come for a while (GGnet waits for a quiet moment, 5 s at most).
    private static async Task<int> WaitForQuietAsync(HttpClient api)
    {
        var count = await AppliedAsync(api);
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(8))
        {
            await Task.Delay(500);
            var now = await AppliedAsync(api);
            if (now != count)
            {
                (count, quietSince) = (now, DateTime.UtcNow);
            }
        }
        return count;
    }

    private static async Task<int> AppliedAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=dhcp.applied&pageSize=1")).GetProperty("totalCount").GetInt32();
}
