using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// Makes GGnet's HTTP boot endpoint reachable from inside the lab: listens on the lab server address, port 80, in
/// the lab namespace, and relays each connection to the address GGnet's web server listens on. No host interface is involved.
/// </summary>
public sealed class LabHttpForwarder(IServer server, ILogger<LabHttpForwarder> logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private bool _disposed;

    public void Start(NetworkNamespace lab, IPAddress address)
    {
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
                var toWeb = CopyThenShutdownAsync(pc, upstream, web);
                var toPc = CopyThenShutdownAsync(web, client, pc);
                await Task.WhenAll(toWeb, toPc);
            }
            catch (Exception problem) when (problem is IOException or SocketException or InvalidOperationException or OperationCanceledException)
            {
                logger.LogDebug("A lab HTTP connection ended: {Reason}", problem.Message);
            }
        }
    }

    private async Task CopyThenShutdownAsync(Stream from, Socket toSocket, Stream to)
    {
        await from.CopyToAsync(to, _stopping.Token);
        toSocket.Shutdown(SocketShutdown.Send);
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
