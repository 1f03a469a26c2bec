using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>
/// tgtd's management socket, spoken to directly: what tgtadm does, without a process per request and without a CHAP
/// secret on a command line. tgtd answers only a peer of its own user (root), so GGnet uses this when it runs as root,
/// and its root helper uses it for the service.
/// </summary>
public sealed class TgtdSocket(IOptions<IscsiOptions> options) : ITgtControl
{
    private const int HeaderBytes = 120;
    private const int ReplyHeaderBytes = 8;
    private const int MaxReplyBytes = 64 << 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly SpareBuffer<byte> _bytes = new();
    private readonly SpareBuffer<char> _chars = new();

    /// <summary>The socket's path: the IPC base path (TGT_IPC_SOCKET, else tgt's own) and the control port.</summary>
    public string Path =>
        $"{(string.IsNullOrEmpty(options.Value.TgtIpcSocket) ? "/var/run/tgtd/socket" : options.Value.TgtIpcSocket)}." +
        $"{options.Value.TgtControlPort.ToString(CultureInfo.InvariantCulture)}";

    public async Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken)
    {
        var (reply, text) = await ExchangeAsync(request, text => text.ToString(), cancellationToken);
        return text is null ? reply : reply with { Text = text };
    }

    public Task<(TgtReply Reply, T? Read)> ReadAsync<T>(TgtRequest request, TgtTextReader<T> read, CancellationToken cancellationToken) =>
        ExchangeAsync(request, read, cancellationToken);

    // The request, then tgtd's answer: its code, and its text (up to tgtd's closing zeros) lent to read.
    private async Task<(TgtReply Reply, T? Read)> ExchangeAsync<T>(TgtRequest request, TgtTextReader<T> read, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path), patience.Token);
            await socket.SendAsync(Encode(request), patience.Token);
            var header = new byte[ReplyHeaderBytes];
            if (!await ReadExactlyAsync(socket, header, patience.Token))
            {
                return (new TgtReply(TgtStatus.Unreachable, "tgtd closed its socket without an answer (does it run as root? it answers only its own user)"), default);
            }
            var status = (TgtStatus)BinaryPrimitives.ReadUInt32LittleEndian(header);
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)) - ReplyHeaderBytes;
            if (status != TgtStatus.Success || length <= 0)
            {
                return (new TgtReply(status, ""), status == TgtStatus.Success ? read([]) : default);
            }
            if (length > MaxReplyBytes)
            {
                return (new TgtReply(TgtStatus.Unreachable, $"tgtd announced an answer of {length} bytes"), default);
            }
            var bytes = _bytes.Take(length);
            char[]? chars = null;
            try
            {
                if (!await ReadExactlyAsync(socket, bytes.AsMemory(0, length), patience.Token))
                {
                    return (new TgtReply(TgtStatus.Unreachable, "tgtd broke off its answer"), default);
                }
                var end = bytes.AsSpan(0, length).IndexOf((byte)0);
                var text = bytes.AsSpan(0, end < 0 ? length : end);
                chars = _chars.Take(Encoding.UTF8.GetMaxCharCount(text.Length));
                var count = Encoding.UTF8.GetChars(text, chars);
                return (new TgtReply(status, ""), read(chars.AsSpan(0, count)));
            }
            finally
            {
                _bytes.Give(bytes);
                if (chars is not null)
                {
                    _chars.Give(chars);
                }
            }
        }
        catch (SocketException problem)
        {
            return (new TgtReply(TgtStatus.Unreachable, $"tgtd's socket {Path} does not answer ({problem.Message}). Is tgtd running?"), default);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new TgtReply(TgtStatus.Unreachable, $"tgtd did not answer within {Patience.TotalSeconds:0} s"), default);
        }
    }

    /// <summary>tgtd's process id, from its socket's peer credentials; null when it does not answer.</summary>
    public async Task<int?> ServerPidAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path), cancellationToken);
            return RootHelper.HelperWire.Peer(socket).Pid;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The request as tgtd reads it: the header tgtadm sends (x86-64 layout), then the parameters' text.</summary>
    internal static byte[] Encode(TgtRequest request)
    {
        var parameters = string.Join(',', request.Parameters().Select(p => $"{p.Name}={p.Value}"));
        var text = parameters.Length == 0 ? [] : Encoding.UTF8.GetBytes(parameters + "\0");
        var bytes = new byte[HeaderBytes + text.Length];
        var header = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(header, (int)request.Mode);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], (int)request.Operation);
        Encoding.ASCII.GetBytes("iscsi", header[8..72]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[72..], (uint)bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[76..], request.Tid ?? -1);
        BinaryPrimitives.WriteUInt64LittleEndian(header[80..], request.Sid);
        BinaryPrimitives.WriteUInt64LittleEndian(header[88..], request.Lun ?? ulong.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(header[96..], request.Cid);
        // host number 0, the device type, the account's direction, "pack" 0 and force.
        BinaryPrimitives.WriteUInt32LittleEndian(header[104..], (uint)request.DeviceType);
        BinaryPrimitives.WriteUInt32LittleEndian(header[108..], request.Outgoing ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(header[116..], request.Force ? 1u : 0u);
        text.CopyTo(bytes, HeaderBytes);
        return bytes;
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[done..], cancellationToken);
            if (read == 0)
            {
                return false;
            }
            done += read;
        }
        return true;
    }
}
