using System.Buffers.Binary;
using System.Net;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Lab;

namespace GGnet.Web.Api;

/// <summary>
/// The answers to a PC's boot requests: the generic script, iPXE's own binaries, and each PC's script. Built once for
/// the process, like everything they use.
/// </summary>
public sealed class BootFileAnswers(BootRequestGuard guard, ServePcBootScript serve, IIpxeBinaries binaries, IBootNetwork network, ILab lab)
{
    public Task GenericScriptAsync(HttpContext http) => guard.AnswerAsync(http, request =>
        network.Settings is { } settings ? BootEndpoints.WriteScriptAsync(request, IpxeScripts.Generic(settings)) : NotConfiguredAsync(request));

    /// <summary>An iPXE binary by its name, or a PC's script by its MAC address (<c>/boot/52-54-00-12-34-56.ipxe</c>).</summary>
    public Task FileAsync(HttpContext http) => guard.AnswerAsync(http, AnswerFileAsync);

    private async Task AnswerFileAsync(HttpContext http)
    {
        var file = http.Request.RouteValues["file"] as string ?? "";
        if (binaries.Names.Contains(file, StringComparer.Ordinal))
        {
            var answer = await binaries.ReadAsync(file, http.RequestAborted) is { } bytes
                ? Results.Bytes(bytes, "application/octet-stream", file)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"{file} is missing on the server: install Debian's ipxe package.");
            await answer.ExecuteAsync(http);
            return;
        }
        if (!file.EndsWith(".ipxe", StringComparison.Ordinal) || !MacAddress.TryParse(file.AsSpan(0, file.Length - ".ipxe".Length), out var mac, out _))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (network.Settings is null)
        {
            await NotConfiguredAsync(http);
            return;
        }
        var query = http.Request.Query;
        var script = await serve.ExecuteAsync(mac, ClientAddress(http), FirmwareOf(query["platform"]), http.RequestAborted,
            AttachFailure.TryParse(query["attach-error"]));
        await BootEndpoints.WriteScriptAsync(http, script);
    }

    private static Task NotConfiguredAsync(HttpContext http) => BootEndpoints.WriteScriptAsync(http,
        "#!ipxe\necho GGnet: the boot network is not configured on the server yet.\nsleep 10\nexit 1\n", StatusCodes.Status503ServiceUnavailable);

    private Ipv4Address? ClientAddress(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        // A lab PC's request reaches GGnet through the lab's relay, on loopback or GGnet's own socket, which names the PC.
        if ((remote is null || IPAddress.IsLoopback(remote))
            && http.Request.Headers[LabHttpForwarder.PcAddressHeader].ToString() is { Length: > 0 } relayed && lab.Status.Running)
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
        Span<byte> octets = stackalloc byte[4];
        return remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && remote.TryWriteBytes(octets, out _)
            ? Ipv4Address.FromNumber(BinaryPrimitives.ReadUInt32BigEndian(octets))
            : null;
    }

    // iPXE's ${platform}: "pcbios" on legacy BIOS, "efi" on UEFI.
    private static Firmware? FirmwareOf(string? platform) => platform switch
    {
        "pcbios" => Firmware.Bios,
        "efi" => Firmware.Uefi,
        _ => null,
    };
}
