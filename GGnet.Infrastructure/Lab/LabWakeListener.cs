using System.Net;
using System.Net.Sockets;
using GGnet.Core.Lab;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Lab;

/// <summary>Listens for Wake-on-LAN packets (UDP port 9) on the lab network; a packet for a virtual PC powers it on.</summary>
public sealed class LabWakeListener(IServiceScopeFactory scopes, ILogger<LabWakeListener> logger) : IDisposable
{
    public const int Port = 9;

    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private bool _disposed;

    public void Start(NetworkNamespace lab)
    {
        _socket = lab.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp, socket =>
        {
            socket.EnableBroadcast = true;
            socket.Bind(new IPEndPoint(IPAddress.Any, Port));
        });
        _ = ReceiveAsync(_socket);
    }

    private async Task ReceiveAsync(Socket socket)
    {
        var buffer = new byte[1500];
        while (!_stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = (await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stopping.Token)).ReceivedBytes;
            }
            catch (Exception stopped) when (stopped is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (MagicPacket.TryRead(buffer.AsSpan(0, length)) is not { } mac)
            {
                continue;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var woken = await scope.ServiceProvider.GetRequiredService<WakeVirtualPc>().ExecuteAsync(mac, _stopping.Token);
                logger.LogInformation("Wake-on-LAN for {Mac}: {Outcome}", mac, woken ? "virtual PC powered on" : "no virtual PC has that address");
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                // One bad wake-up must not stop the listener.
                logger.LogWarning("Wake-on-LAN for {Mac} could not power the PC on: {Reason}", mac, problem.Message);
            }
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
