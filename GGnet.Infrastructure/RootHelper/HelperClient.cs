using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.RootHelper;

/// <summary>
/// Talks to GGnet's root helper (<c>ggnet-helper.service</c>): one connection, one JSON line each way. The helper
/// passes GGnet's own operations and refuses the rest.
/// </summary>
public sealed class HelperClient(IOptions<HelperOptions> options)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <returns>The helper's answer, or null with the reason it could not be had.</returns>
    public async Task<(T? Reply, string? Problem)> SendAsync<T>(HelperRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var path = options.Value.Socket;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), patience.Token);
            await HelperWire.WriteLineAsync(socket, request, patience.Token);
            var line = await HelperWire.ReadLineAsync(socket, patience.Token);
            return line is null
                ? (null, "GGnet's helper closed the connection without an answer (see journalctl -u ggnet-helper)")
                : (JsonSerializer.Deserialize<T>(line, HelperWire.Json), null);
        }
        catch (SocketException problem)
        {
            return (null, $"GGnet's helper does not answer at {path} ({problem.Message}). Start it with 'systemctl start ggnet-helper'");
        }
        catch (JsonException)
        {
            return (null, "GGnet's helper sent an answer GGnet can't read: is it of the same version? Run deploy/install.sh again");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"GGnet's helper did not answer within {Patience.TotalSeconds:0} s");
        }
    }
}
