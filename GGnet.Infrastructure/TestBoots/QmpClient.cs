using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace GGnet.Infrastructure.TestBoots;

/// <summary>
/// Just enough of QEMU's machine protocol (QMP, JSON lines on a unix socket) to take a picture of a guest's screen.
/// </summary>
public static class QmpClient
{
    /// <summary>Saves the guest's screen as a PNG at <paramref name="path"/>; false when QEMU did not do it.</summary>
    public static async Task<bool> ScreendumpAsync(string socketPath, string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        await reader.ReadLineAsync(cancellationToken);
        if (!await ExecuteAsync(reader, writer, new { execute = "qmp_capabilities" }, cancellationToken))
        {
            return false;
        }
        return await ExecuteAsync(reader, writer, new { execute = "screendump", arguments = new { filename = path, format = "png" } }, cancellationToken);
    }

    // Sends one command and reads until its answer: "return" is done, "error" is not; events in between are skipped.
    private static async Task<bool> ExecuteAsync(StreamReader reader, StreamWriter writer, object command, CancellationToken cancellationToken)
    {
        await writer.WriteLineAsync(JsonSerializer.Serialize(command).AsMemory(), cancellationToken);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            using var answer = JsonDocument.Parse(line);
            if (answer.RootElement.TryGetProperty("return", out _))
            {
                return true;
            }
            if (answer.RootElement.TryGetProperty("error", out _))
            {
                return false;
            }
        }
        return false;
    }
}
