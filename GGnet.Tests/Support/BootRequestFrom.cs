using System.Net;
using Microsoft.AspNetCore.TestHost;

namespace GGnet.Tests.Support;

/// <summary>A boot request as a PC at the given address sends it, straight to the app's test server.</summary>
public static class BootRequestFrom
{
    public static async Task<int> StatusAsync(TestServer server, string address, string path = "/boot/boot.ipxe") =>
        (await server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
        })).Response.StatusCode;
}
