using System.Net;
using System.Net.Sockets;
using GGnet.Infrastructure.Processes;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// Sends an IPv6 router advertisement (no prefix, router lifetime 0) on the lab bridge every two seconds. iPXE
/// otherwise waits about 15 s for one before every boot.
/// </summary>
public sealed class LabRouterAdverts : IDisposable
{
    // ICMPv6 type 134, code 0, checksum (the kernel fills it in), hop limit 64, no flags, lifetime 0, reachable 0, retransmit 0.
    private static readonly byte[] Advert = [134, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private bool _disposed;

    public void Start(NetworkNamespace lab, int bridgeIndex)
    {
        _socket = lab.CreateSocket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6, socket =>
        {
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, bridgeIndex);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
        });
        _ = SendAsync(_socket, new IPEndPoint(new IPAddress(IPAddress.Parse("ff02::1").GetAddressBytes(), bridgeIndex), 0));
    }

    private async Task SendAsync(Socket socket, IPEndPoint allNodes)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        do
        {
            try
            {
                await socket.SendToAsync(Advert, SocketFlags.None, allNodes, _stopping.Token);
            }
            catch (SocketException)
            {
                // The bridge has no link-local address until its first port is up: try again next time.
            }
            catch (Exception stopped) when (stopped is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stopping.Cancel();
        _socket?.Dispose();
        _stopping.Dispose();
    }
}
