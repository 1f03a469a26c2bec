using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Telemetry;

/// <summary>/metrics in the Prometheus text format, read by a strict parser, with GGnet's series and sane values after real work.</summary>
[Collection(WebAppTests.Name)]
public sealed class MetricsTests(MetricsTests.App app) : IClassFixture<MetricsTests.App>
{
    [Fact]
    public async Task AfterASessionStartAndStop_TheNamedSeriesAreThere_WithSaneValues()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var mac = TestMacs.Next();
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = mac })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var sessionId = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(30));
        using var pc = app.CreateAnonymousClient();
        var script = $"/boot/{mac.Replace(':', '-')}.ipxe";
        (await pc.GetAsync(new Uri(script, UriKind.Relative))).EnsureSuccessStatusCode();
        // A fetch is saved a moment after it is answered; a real PC's failed attach comes seconds later.
        await admin.WaitForAsync($"/api/v1/machines/{machineId}", m => m.GetProperty("bootStage").GetString() == "scriptFetched", TimeSpan.FromSeconds(10));
        (await pc.GetAsync(new Uri(script + "?attach-error=0x410d613c", UriKind.Relative))).EnsureSuccessStatusCode();
        // Ready, or Booting once the observer has seen the script fetched.
        var whileUp = await ScrapeUntilAsync(admin, s => Up(s) >= 1);

        (await admin.PostAsync(new Uri($"/api/v1/sessions/{sessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(sessionId, "stopped", TimeSpan.FromSeconds(30));
        // Recorded just after the session is saved Stopped, and the exporter keeps a scrape for a moment.
        var after = await ScrapeUntilAsync(admin, s => Value(s, "ggnet_session_stop_duration_seconds_count") >= 1);

        Assert.True(Up(whileUp) >= 1,
            "ggnet series: " + string.Join(", ", whileUp.Where(s => s.Name.StartsWith("ggnet", StringComparison.Ordinal) && !s.Name.Contains("bucket", StringComparison.Ordinal)).Select(s => $"{s.Name}{{{string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}"))}}}={s.Value}")));
        Assert.InRange(Value(after, "ggnet_session_start_duration_seconds_count"), 1, 1000);
        Assert.InRange(Value(after, "ggnet_session_start_duration_seconds_sum"), 0.001, 60);
        Assert.InRange(Value(after, "ggnet_session_stop_duration_seconds_count"), 1, 1000);
        Assert.InRange(Value(after, "ggnet_boot_script_requests_total", ("transport", "http"), ("known", "true")), 2, 1000);
        Assert.InRange(Value(after, "ggnet_boot_stage_duration_seconds_count", ("stage", "ScriptFetched")), 1, 1000);
        Assert.InRange(Value(after, "ggnet_dhcp_restarts_total", ("outcome", "ok")), 1, 1000);
        Assert.True(Value(after, "ggnet_storage_capacity_bytes") > Value(after, "ggnet_storage_used_bytes"));
        Assert.True(Value(after, "ggnet_storage_used_bytes") > 0);
        Assert.Contains(after, s => s.Name == "http_server_request_duration_seconds_count" && s.Value >= 1);
        Assert.Contains(after, s => s.Name.StartsWith("process_runtime_dotnet_gc", StringComparison.Ordinal) || s.Name.StartsWith("dotnet_gc", StringComparison.Ordinal));
        Assert.All(Exported.Where(n => !n.Contains("failures", StringComparison.Ordinal)), name => Assert.Contains(after, s => s.Name == name));
        // GGnet's own buckets (10 ms to 5 min), not OpenTelemetry's defaults, though each stream is configured (its tag sets bounded).
        Assert.Equal([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, double.PositiveInfinity],
            after.Where(s => s.Name == "ggnet_session_start_duration_seconds_bucket").Select(s => UpperBound(s.Labels["le"])).Order());
    }

    private static double UpperBound(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, System.Globalization.CultureInfo.InvariantCulture);

    // The series a scrape shows once each instrument has a value (counters get _total, histograms _bucket/_sum/_count); the
    // test above finds each of them in a real scrape, but the two counters of failures.
    private static readonly string[] Exported =
    [
        "ggnet_sessions", "ggnet_storage_used_bytes", "ggnet_storage_capacity_bytes", "ggnet_boot_script_requests_total", "ggnet_dhcp_restarts_total",
        "ggnet_dhcp_validation_failures_total", "ggnet_jobs_failures_total", "ggnet_session_start_duration_seconds_bucket",
        "ggnet_session_stop_duration_seconds_bucket", "ggnet_boot_stage_duration_seconds_bucket", "http_server_request_duration_seconds_bucket",
    ];

    [Fact]
    public void GrafanaDashboard_QueriesOnlySeriesGGnetExports()
    {
        var dashboard = File.ReadAllText(RepositoryFiles.PathOf("deploy", "grafana-dashboard.json"));
        var queried = System.Text.RegularExpressions.Regex.Matches(dashboard, @"\b(ggnet_[a-z_]+|http_server_[a-z_]+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.Contains(name, Exported));
        Assert.Equal("ggnet-overview", System.Text.Json.JsonDocument.Parse(dashboard).RootElement.GetProperty("uid").GetString());
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/METRICS")]
    [InlineData("/Metrics")]
    [InlineData("/metrics/")]
    public async Task Metrics_AreForLoopbackOrALoggedInClient_HoweverThePathIsSpelled(string path)
    {
        using var anonymous = app.CreateAnonymousClient();
        using var admin = await app.CreateAdminClientAsync();

        var fromAnywhere = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
        var fromTheServer = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
        });
        var withAToken = await admin.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, fromAnywhere.StatusCode);
        var refusal = await fromAnywhere.Content.ReadAsStringAsync();
        Assert.Contains("API token", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("ggnet_", refusal, StringComparison.Ordinal);
        Assert.Equal(200, fromTheServer.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withAToken.StatusCode);
        Assert.Contains("# TYPE", await withAToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static double Up(IReadOnlyList<PrometheusText.Sample> samples) =>
        Value(samples, "ggnet_sessions", ("state", "ready")) + Value(samples, "ggnet_sessions", ("state", "booting"));

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeUntilAsync(HttpClient client, Func<IReadOnlyList<PrometheusText.Sample>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<PrometheusText.Sample> samples;
        do
        {
            samples = PrometheusText.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
            if (done(samples))
            {
                return samples;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        return samples;
    }

    /// <summary>The session app with the gauges read every second.</summary>
    public sealed class App : SessionAppFactory
    {
        protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Append(("Metrics:SampleSeconds", "1"));
    }
}
