using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GGnet.Tests.Support;
using GGnet.Web.Https;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// The admin UI and the API over HTTPS (the real app, Kestrel and TLS on loopback): a certificate GGnet makes or the
/// admin gives, HSTS, Secure cookies, and plain HTTP left to the PCs' boot files and the health check.
/// </summary>
public sealed class HttpsTests
{
    [Theory]
    [InlineData("http://myserver:80")]
    [InlineData("https://0.0.0.0:8443")]
    [InlineData("not a url")]
    public void WithHttpsOn_APlainAddressGGnetCantListenOn_StopsStartUpWithASentence(string urls)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => HttpsSetup.PlainHttpEndpoints(urls));

        Assert.StartsWith("GGnet can't start: ASPNETCORE_URLS holds", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithHttpsOn_PlainAddresses_WildcardsAndLocalhost_AreListenedOn()
    {
        var endpoints = HttpsSetup.PlainHttpEndpoints("http://0.0.0.0:80; http://*:81;http://[::1]:82;http://localhost:83");

        Assert.Equal([(IPAddress.Any, 80), (IPAddress.Any, 81), (IPAddress.IPv6Loopback, 82), ((IPAddress?)null, 83)], endpoints);
    }

    [Theory]
    [InlineData("/metrics", "127.0.0.1", true)]
    [InlineData("/metrics", "::1", true)]
    [InlineData("/metrics", "10.99.0.17", false)]
    [InlineData("/api/v1/machines", "127.0.0.1", false)]
    [InlineData("/login", "127.0.0.1", false)]
    [InlineData("/boot/boot.ipxe", "10.99.0.17", true)]
    [InlineData("/health", "10.99.0.17", true)]
    public void WithHttpsOn_PlainHttpAnswers_BootFilesAndHealthToAll_AndMetricsOnlyToThisServer(string path, string from, bool answered)
    {
        Assert.Equal(answered, HttpsSetup.ServedOverPlainHttp(new PathString(path), IPAddress.Parse(from)));
    }

    [Fact]
    public async Task PagesAndApi_AreServedOverHttps_WithHsts_AndPlainHttpServesOnlyBootFilesAndHealth()
    {
        using var files = new TempDirectory();
        var httpsPort = GGnetProcess.FreeLoopbackPort();
        await using var app = new GGnetProcess(Path.Combine(files.Path, "data"),
        [
            ("Lab:Enabled", "false"),
            ("Https:Port", httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Https:Address", "127.0.0.1"),
        ]);
        await app.StartAsync();
        X509Certificate2? served = null;
        using var secureHandler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                served = X509CertificateLoader.LoadCertificate(certificate!.RawData);
                return true;
            },
        };
        using var secure = new HttpClient(secureHandler) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}") };
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        var login = await secure.GetAsync(new Uri("/login", UriKind.Relative));
        var token = await secure.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetProcess.AdminPassword });
        var loginOverHttp = await plain.GetAsync(new Uri("/login?next=%2Fsettings", UriKind.Relative));
        var tokenOverHttp = await plain.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetProcess.AdminPassword });
        var bootOverHttp = await plain.GetAsync(new Uri("/boot/boot.ipxe", UriKind.Relative));
        var healthOverHttp = await plain.GetAsync(new Uri("/health", UriKind.Relative));
        var metricsOverHttpFromHere = await plain.GetAsync(new Uri("/metrics", UriKind.Relative));
        var shown = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(files.Path, "data", "https", "ggnet.crt")));
        var log = await File.ReadAllTextAsync(app.Log);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("max-age=31536000", login.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.PermanentRedirect, loginOverHttp.StatusCode);
        Assert.Equal($"https://127.0.0.1:{httpsPort}/login?next=%2Fsettings", loginOverHttp.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.PermanentRedirect, tokenOverHttp.StatusCode);
        Assert.NotEqual(HttpStatusCode.PermanentRedirect, bootOverHttp.StatusCode);
        Assert.False(bootOverHttp.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, healthOverHttp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metricsOverHttpFromHere.StatusCode);
        Assert.Contains("ggnet_", await metricsOverHttpFromHere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(shown.Thumbprint, served?.Thumbprint);
        Assert.Contains(ServerCertificate.Fingerprint(shown), log, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(files.Path, "data", "https", "ggnet.pfx")));
    }

    [Fact]
    public async Task TheAdminsOwnCertificate_IsTheOneServed_AndTheCookiesAreSecure()
    {
        using var files = new TempDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var own = new CertificateRequest("CN=ggnet.cafe.example", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificatePath = Path.Combine(files.Path, "cafe.crt");
        var keyPath = Path.Combine(files.Path, "cafe.key");
        await File.WriteAllTextAsync(certificatePath, own.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        await using var app = new HttpsApp(certificatePath, keyPath);

        var shown = app.Services.GetRequiredService<ServedCertificate>();
        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).Cookie;

        Assert.Equal(ServerCertificate.Fingerprint(own), shown.Fingerprint);
        Assert.Equal("CN=ggnet.cafe.example", shown.Subject);
        Assert.Equal(CookieSecurePolicy.Always, cookie.SecurePolicy);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "https")), "GGnet made a certificate though the admin gave one");
    }

    private sealed class HttpsApp(string certificatePath, string keyPath) : GGnetAppFactory
    {
        protected override IEnumerable<(string Key, string Value)> Settings() =>
            [("Https:Port", "8443"), ("Https:CertificatePath", certificatePath), ("Https:KeyPath", keyPath)];
    }
}
