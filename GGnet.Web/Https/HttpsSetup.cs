using System.Net;
using GGnet.Infrastructure.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace GGnet.Web.Https;

/// <summary>What the Settings page and the start-up line say about HTTPS; null certificate while it is off.</summary>
public sealed record ServedCertificate(HttpsOptions Options, string? Subject, string? Fingerprint, DateTime? NotAfter);

/// <summary>
/// With <c>Https:Port</c>: Kestrel listens on the plain-HTTP addresses it was given (ASPNETCORE_URLS, for the PCs'
/// boot files) and on HTTPS at <c>Https:Address</c>; the login and antiforgery cookies are Secure; plain HTTP answers
/// only <c>/boot/</c> and <c>/health</c> and sends everything else to HTTPS, which carries HSTS.
/// </summary>
public static class HttpsSetup
{
    private const string HstsValue = "max-age=31536000";

    public static WebApplicationBuilder AddGGnetHttps(this WebApplicationBuilder builder)
    {
        var https = builder.Configuration.GetSection(HttpsOptions.Section).Get<HttpsOptions>() ?? new HttpsOptions();
        if (!https.Enabled)
        {
            builder.Services.AddSingleton(new ServedCertificate(https, null, null, null));
            return builder;
        }
        if (!IPAddress.TryParse(https.Address, out var address))
        {
            throw new InvalidOperationException($"GGnet can't start: Https:Address is '{https.Address}', but it must be an IPv4 or IPv6 address of this server (0.0.0.0 for every one).");
        }
        var database = DatabaseOptions.From(builder.Configuration);
        var certificate = ServerCertificate.Load(https, database.DataDirectory);
        builder.Services.AddSingleton(new ServedCertificate(https, certificate.Subject, ServerCertificate.Fingerprint(certificate), certificate.NotAfter.ToUniversalTime()));
        var plain = PlainHttpEndpoints(builder.Configuration["urls"] ?? "http://localhost:5000");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Listening in code replaces ASPNETCORE_URLS: its plain-HTTP addresses are listened on here too.
            foreach (var (ip, port) in plain)
            {
                if (ip is null)
                {
                    kestrel.ListenLocalhost(port);
                }
                else
                {
                    kestrel.Listen(ip, port);
                }
            }
            kestrel.Listen(address, https.Port, listen => listen.UseHttps(certificate));
        });
        builder.Services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, cookie => cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        builder.Services.PostConfigure<AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        Console.WriteLine($"GGnet serves its pages and API over HTTPS on {https.Address}:{https.Port}; certificate SHA-256 fingerprint {ServerCertificate.Fingerprint(certificate)}.");
        return builder;
    }

    /// <summary>
    /// The plain-HTTP addresses of ASPNETCORE_URLS as Kestrel endpoints (a null address is localhost). With HTTPS on,
    /// GGnet listens on them itself, so each must be an address, <c>*</c>, <c>+</c> or <c>localhost</c>: a host name
    /// stops start-up with a sentence.
    /// </summary>
    public static IReadOnlyList<(IPAddress? Address, int Port)> PlainHttpEndpoints(string urls)
    {
        var endpoints = new List<(IPAddress?, int)>();
        foreach (var text in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var wildcard = text.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(wildcard, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
            {
                throw new InvalidOperationException($"GGnet can't start: ASPNETCORE_URLS holds '{text}', " +
                    "but with Https:Port set it may hold only plain http:// addresses (HTTPS is Https:Address and Https:Port).");
            }
            if (url.Host == "localhost")
            {
                endpoints.Add((null, url.Port));
            }
            else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip))
            {
                endpoints.Add((ip, url.Port));
            }
            else
            {
                throw new InvalidOperationException($"GGnet can't start: ASPNETCORE_URLS holds '{text}', " +
                    "but with Https:Port set its addresses must be IP addresses of this server, 0.0.0.0 or localhost, not a host name.");
            }
        }
        return endpoints;
    }

    /// <summary>Plain HTTP answers what <see cref="ServedOverPlainHttp"/> says; anything else goes to HTTPS. HTTPS answers carry HSTS.</summary>
    public static IApplicationBuilder UseGGnetHttps(this WebApplication app)
    {
        var https = app.Services.GetRequiredService<ServedCertificate>().Options;
        if (!https.Enabled)
        {
            return app;
        }
        return app.Use(async (context, next) =>
        {
            if (context.Request.IsHttps)
            {
                context.Response.Headers.StrictTransportSecurity = HstsValue;
            }
            else if (!ServedOverPlainHttp(context.Request.Path, context.Connection.RemoteIpAddress))
            {
                context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
                context.Response.Headers.Location = HttpsLocation(context.Request, https);
                return;
            }
            await next();
        });
    }

    /// <summary>
    /// What plain HTTP answers with HTTPS on: the PCs' boot files, the health check, and the metrics to a scraper on this
    /// server itself (its requests never leave the machine; the metrics' own policy still applies).
    /// </summary>
    public static bool ServedOverPlainHttp(PathString path, IPAddress? from) =>
        path.StartsWithSegments("/boot") || path.StartsWithSegments("/health") || (path.StartsWithSegments("/metrics") && from is not null && IPAddress.IsLoopback(from));

    // To the management address when the UI has one, else to the name the browser used.
    private static string HttpsLocation(HttpRequest request, HttpsOptions https)
    {
        var host = https.Address is "0.0.0.0" or "::" ? request.Host.Host : https.Address;
        if (IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            host = $"[{host}]";
        }
        var port = https.Port == 443 ? "" : $":{https.Port}";
        return $"https://{host}{port}{request.PathBase}{request.Path}{request.QueryString}";
    }
}
