using System.Net;
using System.Threading.RateLimiting;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Lab;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Api;

/// <summary>
/// What PCs fetch while they boot: anonymous by necessity, rate-limited per client address, and each
/// answer holds only the asking PC's own data.
/// </summary>
public static class BootEndpoints
{
    public const string RateLimitPolicy = "boot";
    private const string ScriptType = "text/plain; charset=utf-8";

    public static IServiceCollection AddBootRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<BootOptions>>().Value.RequestsPerMinutePerClient;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapBootEndpoints(this IEndpointRouteBuilder app)
    {
        var boot = app.MapGroup("/boot").AllowAnonymous().RequireRateLimiting(RateLimitPolicy).ExcludeFromDescription();

        boot.MapGet("/boot.ipxe", (IBootNetwork network) =>
            network.Settings is { } settings
                ? Results.Text(IpxeScripts.Generic(settings), ScriptType)
                : NotConfigured(network));

        boot.MapGet("/{file}", async (string file, string? platform, [FromQuery(Name = "attach-error")] string? attachError, HttpContext context, ILab lab, IIpxeBinaries binaries, IBootNetwork network, ServePcBootScript serve, CancellationToken cancellationToken) =>
        {
            if (binaries.Names.Contains(file, StringComparer.Ordinal))
            {
                return await binaries.ReadAsync(file, cancellationToken) is { } bytes
                    ? Results.Bytes(bytes, "application/octet-stream", file)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"{file} is missing on the server: install Debian's ipxe package.");
            }
            if (!file.EndsWith(".ipxe", StringComparison.Ordinal) || !MacAddress.TryParse(file[..^".ipxe".Length], out var mac, out _))
            {
                return Results.NotFound();
            }
            if (network.Settings is null)
            {
                return NotConfigured(network);
            }
            var script = await serve.ExecuteAsync(mac, ClientAddress(context, lab), FirmwareOf(platform), cancellationToken, AttachFailure.TryParse(attachError));
            return Results.Text(script, ScriptType);
        });
        return app;
    }

    private static IResult NotConfigured(IBootNetwork network) =>
        Results.Text("#!ipxe\necho GGnet: the boot network is not configured on the server yet.\nsleep 10\nexit 1\n", ScriptType, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static Ipv4Address? ClientAddress(HttpContext context, ILab lab)
    {
        var remote = context.Connection.RemoteIpAddress;
        // A lab PC's request reaches GGnet through the lab's relay, on loopback or GGnet's own socket, which names the PC.
        if ((remote is null || IPAddress.IsLoopback(remote)) && lab.Status.Running
            && context.Request.Headers[LabHttpForwarder.PcAddressHeader].ToString() is { Length: > 0 } relayed)
        {
            return Ipv4Address.TryParse(relayed, out var pc, out _) ? pc : null;
        }
        if (remote is null)
        {
            return null;
        }
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }
        return remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && Ipv4Address.TryParse(remote.ToString(), out var address, out _) ? address : null;
    }

    // iPXE's ${platform}: "pcbios" on legacy BIOS, "efi" on UEFI.
    private static Firmware? FirmwareOf(string? platform) => platform switch
    {
        "pcbios" => Firmware.Bios,
        "efi" => Firmware.Uefi,
        _ => null,
    };
}
