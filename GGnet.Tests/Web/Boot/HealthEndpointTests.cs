using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Boot;

/// <summary>
/// /health/live and /health/ready against the real daemons: a tftpd and a tgtd of the test's own, each stopped in turn
/// and seen red; anonymous callers get the plain status, an admin every part with its sentence.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class HealthEndpointTests(HealthEndpointTests.App app) : IClassFixture<HealthEndpointTests.App>
{
    [Fact]
    public async Task Ready_IsGreenWhileTftpdAndTgtdAnswer_AndRedWithWhyWhenEachIsReallyDown()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var anonymous = app.CreateAnonymousClient();

        var up = await WaitForAsync(admin, body => Part(body, "TFTP").StartsWith("green", StringComparison.Ordinal) && Part(body, "iSCSI").StartsWith("green", StringComparison.Ordinal));
        var live = await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative));

        await app.StopTftpdAsync();
        var tftpDown = await WaitForAsync(admin, body => Part(body, "TFTP").StartsWith("red", StringComparison.Ordinal));
        var anonymousView = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));

        await app.Tgtd.StopAsync();
        var tgtDown = await WaitForAsync(admin, body => Part(body, "iSCSI").StartsWith("red", StringComparison.Ordinal));
        var liveWhileDown = await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative));
        await app.Tgtd.RestartAsync();

        Assert.Contains($"tftpd answers on 127.0.0.1:{app.TftpPort}", Part(up, "TFTP"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("tftpd does not answer", Part(tftpDown, "TFTP"), StringComparison.Ordinal);
        Assert.Contains("systemctl start tftpd-hpa", Part(tftpDown, "TFTP"), StringComparison.Ordinal);
        Assert.Equal("Unhealthy", tftpDown.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymousView.StatusCode);
        Assert.Equal("Unhealthy", await anonymousView.Content.ReadAsStringAsync());
        Assert.StartsWith("red", Part(tgtDown, "iSCSI"), StringComparison.Ordinal);
        Assert.Contains("tgt", Part(tgtDown, "iSCSI"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveWhileDown.StatusCode);
    }

    private static string Part(JsonElement body, string component) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "boot")
            .GetProperty("components").GetProperty(component).GetString()!;

    private static async Task<JsonElement> WaitForAsync(HttpClient admin, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement body;
        do
        {
            // 503 while something is red: the body says what.
            var response = await admin.GetAsync(new Uri("/health/ready", UriKind.Relative));
            body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (done(body))
            {
                return body;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return body;
    }

    /// <summary>The session app with a real in.tftpd of its own on a loopback port, which health asks.</summary>
    public sealed class App : SessionAppFactory
    {
        private Process? _tftpd;

        public int TftpPort { get; } = FreeUdpPort();

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Directory.CreateDirectory(TftpRoot);
            _tftpd = Process.Start(new ProcessStartInfo("/usr/sbin/in.tftpd",
                ["--foreground", "--listen", "--address", $"127.0.0.1:{TftpPort.ToString(CultureInfo.InvariantCulture)}", "--secure", TftpRoot])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            }) ?? throw new InvalidOperationException("in.tftpd did not start");
        }

        public async Task StopTftpdAsync()
        {
            if (_tftpd is { HasExited: false })
            {
                _tftpd.Kill();
                await _tftpd.WaitForExitAsync();
            }
        }

        protected override IEnumerable<(string Key, string Value)> Settings() =>
            base.Settings().Where(s => s.Key != "Boot:TftpProbeAddress").Append(("Boot:TftpProbeAddress", $"127.0.0.1:{TftpPort.ToString(CultureInfo.InvariantCulture)}"));

        public override async Task DisposeAsync()
        {
            await StopTftpdAsync();
            _tftpd?.Dispose();
            await base.DisposeAsync();
        }

        private static int FreeUdpPort()
        {
            using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        }
    }
}
