using System.Net.Sockets;
using System.Text.Json;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>
/// tgtd through GGnet's iSCSI helper (<c>ggnet-iscsi-helper.service</c>, root): what the service uses, since tgtd answers
/// root only. The helper passes GGnet's own operations and refuses the rest (<see cref="TgtRequestPolicy"/>).
/// </summary>
public sealed class TgtHelperClient(string socketPath) : ITgtControl
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), patience.Token);
            await HelperWire.WriteLineAsync(socket, request, patience.Token);
            var line = await HelperWire.ReadLineAsync(socket, patience.Token);
            return line is null
                ? new TgtReply(TgtStatus.Unreachable, "GGnet's iSCSI helper closed the connection without an answer (see journalctl -u ggnet-iscsi-helper)")
                : JsonSerializer.Deserialize<TgtReply>(line, HelperWire.Json) ?? new TgtReply(TgtStatus.Unreachable, "GGnet's iSCSI helper sent an empty answer");
        }
        catch (SocketException problem)
        {
            return new TgtReply(TgtStatus.Unreachable,
                $"GGnet's iSCSI helper does not answer at {socketPath} ({problem.Message}). Start it with 'systemctl start ggnet-iscsi-helper'");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TgtReply(TgtStatus.Unreachable, $"GGnet's iSCSI helper did not answer within {Patience.TotalSeconds:0} s");
        }
    }
}
