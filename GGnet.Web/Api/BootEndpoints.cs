using System.Net;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Lab;
using Microsoft.AspNetCore.Mvc;

namespace GGnet.Web.Api;

/// <summary>
/// What PCs fetch while they boot: anonymous by necessity, rate-limited per client address (<see cref="BootRequestGuard"/>),
/// and each answer holds only the asking PC's own data.
/// </summary>
public static class BootEndpoints
{
    public const string ScriptType = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapBootEndpoints(this IEndpointRouteBuilder app)
    {
        // Answered straight from routing, before the app's middleware; the guard limits each client and answers database outages.
        var boot = app.MapGroup("/boot");
        boot.AllowAnonymous().ShortCircuit().ExcludeFromDescription()
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<BootRequestGuard>().InvokeAsync(context, next));

        boot.MapGet("/boot.ipxe", (IBootNetwork network) =>
            network.Settings is { } settings
                ? Results.Text(IpxeScripts.Generic(settings), ScriptType)
                : NotConfigured(network));

        boot.MapGet("/{file}", async (string file, string? platform, [FromQuery(Name = "attach-error")] string? attachError, HttpContext context,
            ILab lab, IIpxeBinaries binaries, IBootNetwork network, ServePcBootScript serve, CancellationToken cancellationToken) =>
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
