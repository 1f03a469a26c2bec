using System.Net;
using System.Net.Sockets;
using GGnet.Infrastructure.Processes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// Makes GGnet's HTTP boot endpoint reachable from inside the lab: listens on the lab server address, port 80, in
/// the lab namespace, and relays boot requests (and nothing else) to the address GGnet's web server listens on.
/// No host interface is involved.
/// </summary>
public sealed class LabHttpForwarder(IServer server, ILogger<LabHttpForwarder> logger) : IDisposable
{
    /// <summary>The lab PC's own address, added to each relayed request (a PC's own header of that name is dropped): the boot endpoint needs it to give a PC its CHAP secrets.</summary>
    public const string PcAddressHeader = "X-GGnet-Lab-Pc";

    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private IPAddress _server = IPAddress.None;
    private bool _disposed;

    public void Start(NetworkNamespace lab, IPAddress address)
    {
        _server = address;
        _listener = lab.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp, socket =>
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, 80));
            socket.Listen(128);
        });
        _ = AcceptAsync(_listener);
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception stopped) when (stopped is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var upstream = await ConnectUpstreamAsync();
                await using var pc = new NetworkStream(client, ownsSocket: false);
                await using var web = new NetworkStream(upstream, ownsSocket: false);
                var pcAddress = (client.RemoteEndPoint as IPEndPoint)?.Address.MapToIPv4() ?? IPAddress.None;
                var toWeb = Quietly(PassBootRequestsAsync(pc, web, pcAddress));
                var toPc = Quietly(web.CopyToAsync(pc, _stopping.Token));
                // The PC stopped sending: let the answer finish, then close. The web server closed: close both sides.
                if (await Task.WhenAny(toWeb, toPc) == toWeb)
                {
                    upstream.Shutdown(SocketShutdown.Send);
                    await Task.WhenAny(toPc, Task.Delay(TimeSpan.FromSeconds(30), _stopping.Token));
                }
            }
            catch (Exception problem) when (problem is IOException or SocketException or InvalidOperationException or OperationCanceledException)
            {
                logger.LogDebug("A lab HTTP connection ended: {Reason}", problem.Message);
            }
        }
    }

    // Only what a PC needs crosses into GGnet: GET or HEAD of /boot/…, without a body, strictly parsed and written anew
    // (BootRequestHead). Anything else ends the connection with 404.
    private async Task PassBootRequestsAsync(Stream pc, Stream web, IPAddress pcAddress)
    {
        var buffer = new byte[8192];
        var pending = new List<byte>();
        while (true)
        {
            var read = await pc.ReadAsync(buffer, _stopping.Token);
            if (read == 0)
            {
                return;
            }
            pending.AddRange(buffer.AsSpan(0, read));
            int end;
            while ((end = HeadEnd(pending)) > 0)
            {
                var head = pending.GetRange(0, end).ToArray();
                pending.RemoveRange(0, end);
                if (BootRequestHead.Parse(head) is not { } request)
                {
                    await pc.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stopping.Token);
                    throw new InvalidOperationException("a lab PC asked for something other than a boot file");
                }
                await web.WriteAsync(request.Rebuild(_server, pcAddress), _stopping.Token);
            }
            if (pending.Count > MaxHeadBytes)
            {
                throw new InvalidOperationException("a lab PC sent an oversized request head");
            }
        }
    }

    private const int MaxHeadBytes = 16 * 1024;

    private static int HeadEnd(List<byte> bytes)
    {
        for (var i = 3; i < bytes.Count; i++)
        {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n')
            {
                return i + 1;
            }
        }
        return -1;
    }

    private async Task Quietly(Task pump)
    {
        try
        {
            await pump;
        }
        catch (Exception problem) when (problem is IOException or SocketException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("A lab HTTP connection ended: {Reason}", problem.Message);
        }
    }

    private async Task<Socket> ConnectUpstreamAsync()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("GGnet's web server has no plain HTTP address for the lab to reach.");
        EndPoint endpoint;
        if (address.StartsWith("http://unix:", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new UnixDomainSocketEndPoint(address["http://unix:".Length..]);
        }
        else
        {
            var uri = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
            var host = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) ? ip : IPAddress.Loopback;
            endpoint = new IPEndPoint(host, uri.Port);
        }
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, _stopping.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Stop()
    {
        if (!_disposed)
        {
            _stopping.Cancel();
            _listener?.Dispose();
        }
    }

    public void Dispose()
    {
        Stop();
        _disposed = true;
        _stopping.Dispose();
    }
}
