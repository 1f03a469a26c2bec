using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace GGnet.Infrastructure.RootHelper;

/// <summary>Who sent a request to the root helper, as the kernel tells it (SO_PEERCRED).</summary>
public sealed record HelperPeer(int Pid, int Uid, int Gid)
{
    public bool IsRoot => Uid == 0;
}

/// <summary>The root helper's wire: one JSON line each way per connection, and the peer's credentials from the kernel.</summary>
internal static class HelperWire
{
    public const int MaxLineBytes = 16 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task WriteLineAsync<T>(Socket socket, T value, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        await socket.SendAsync(line.Append((byte)'\n').ToArray(), cancellationToken);
    }

    /// <returns>The line without its end, or null when the peer closed first or sent more than a line may hold.</returns>
    public static async Task<string?> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxLineBytes];
        var done = 0;
        while (done < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(done), cancellationToken);
            if (read == 0)
            {
                return null;
            }
            var end = Array.IndexOf(buffer, (byte)'\n', done, read);
            done += read;
            if (end >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, end);
            }
        }
        return null;
    }

    /// <summary>The process at the other end of a Unix socket (SO_PEERCRED: pid, uid, gid).</summary>
    public static HelperPeer Peer(Socket socket)
    {
        var credentials = new byte[12];
        socket.GetRawSocketOption(1 /* SOL_SOCKET */, 17 /* SO_PEERCRED */, credentials);
        return new HelperPeer(
            BinaryPrimitives.ReadInt32LittleEndian(credentials),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(credentials.AsSpan(4)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(credentials.AsSpan(8)));
    }
}
