using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GGnet.Tests.Support;
using GGnet.Web.Composition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

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

/// <summary>/health/ready is anonymous and each real check runs programs: one answer serves every caller for a few seconds.</summary>
[Collection(WebAppTests.Name)]
public sealed class HealthCacheTests(HealthCacheTests.App app) : IClassFixture<HealthCacheTests.App>
{
    [Fact]
    public async Task ManyAnonymousReadyRequests_RunOneCheck_AndTheNextComesAfterTheCacheTime()
    {
        using var anonymous = app.CreateAnonymousClient();
        await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        app.CheckClock.Advance(TimeSpan.FromSeconds(App.CacheSeconds + 0.5));
        var before = app.Backend.Checks;

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative))));
        var duringBurst = app.Backend.Checks - before;
        app.CheckClock.Advance(TimeSpan.FromSeconds(App.CacheSeconds + 0.5));
        await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var afterTheCacheTime = app.Backend.Checks - before;

        Assert.All(burst, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.Equal(1, duringBurst);
        Assert.Equal(2, afterTheCacheTime);
    }

    /// <summary>A boot app whose iSCSI backend is down and counts how often it was asked.</summary>
    public sealed class App : BootAppFactory
    {
        public const int CacheSeconds = 2;

        public CountingIscsiBackend Backend { get; } = new();

        /// <summary>The health check's own clock: the cache time passes when the test says, however slow the burst.</summary>
        public FakeTimeProvider CheckClock { get; } = new(DateTimeOffset.UtcNow);

        protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Append(("Health:ReadyCacheSeconds", CacheSeconds.ToString(CultureInfo.InvariantCulture)));

        protected override void ReplaceServices(IServiceCollection services)
        {
            base.ReplaceServices(services);
            services.AddSingleton<GGnet.Core.Ports.IIscsiBackend>(Backend);
            services.AddSingleton(provider => new ComponentsHealthCheck(
                provider.GetRequiredService<IServiceScopeFactory>(), provider.GetRequiredService<IOptions<HealthOptions>>(), CheckClock));
        }
    }

    public sealed class CountingIscsiBackend : GGnet.Core.Ports.IIscsiBackend
    {
        private readonly DownIscsiBackend _down = new();
        private int _checks;

        public int Checks => Volatile.Read(ref _checks);

        public GGnet.Core.Domain.Sessions.IscsiBackendKind Kind => _down.Kind;

        public int DiskLun => _down.DiskLun;

        // Counts the health checks' calls only: the minutely reconcile asks the backend too when no session is active.
        public Task<GGnet.Core.Iscsi.BackendAvailability> CheckAsync(CancellationToken cancellationToken)
        {
            if (new System.Diagnostics.StackTrace().ToString().Contains(nameof(GGnet.Core.Health.CheckHealth), StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _checks);
            }
            return _down.CheckAsync(cancellationToken);
        }

        public Task CreateTargetAsync(GGnet.Core.Iscsi.IscsiTargetSpec spec, CancellationToken cancellationToken) => _down.CreateTargetAsync(spec, cancellationToken);

        public Task DeleteTargetAsync(GGnet.Core.Domain.Iqn target, CancellationToken cancellationToken) => _down.DeleteTargetAsync(target, cancellationToken);

        public Task<IReadOnlyList<GGnet.Core.Iscsi.IscsiTargetState>> ListTargetsAsync(CancellationToken cancellationToken) => _down.ListTargetsAsync(cancellationToken);

        public Task AdmitOnlyAsync(GGnet.Core.Domain.Iqn target, GGnet.Core.Domain.Ipv4Address address, CancellationToken cancellationToken) => _down.AdmitOnlyAsync(target, address, cancellationToken);

        public Task ListenOnlyOnAsync(GGnet.Core.Domain.Ipv4Address address, CancellationToken cancellationToken) => _down.ListenOnlyOnAsync(address, cancellationToken);
    }
}
