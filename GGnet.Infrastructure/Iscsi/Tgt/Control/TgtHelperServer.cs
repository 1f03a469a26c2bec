using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>
/// GGnet's iSCSI helper: runs as root, listens on a Unix socket only its group (the service's) may open, and passes
/// GGnet's own tgtd operations (<see cref="TgtRequestPolicy"/>) to tgtd's socket. A disk is checked again once tgtd
/// opened it: if tgtd holds any other file than the checked one (a link swapped in meanwhile), the LUN goes at once.
/// </summary>
public sealed class TgtHelperServer(TgtdSocket tgtd, TgtRequestPolicy policy, IHelperFiles files, ILogger<TgtHelperServer> logger) : IDisposable
{
    private const int MaxConnections = 64;
    private readonly SemaphoreSlim _attaching = new(1, 1);
    private readonly SemaphoreSlim _connections = new(MaxConnections, MaxConnections);

    public async Task RunAsync(string socketPath, CancellationToken cancellationToken)
    {
        var ownGroup = OwnGroup();
        if (File.Exists(socketPath))
        {
            File.Delete(socketPath);
        }
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        // Its owner (root) and its group (the service's) may connect; nobody else.
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        listener.Listen(MaxConnections);
        logger.LogInformation("GGnet's iSCSI helper listens on {Socket} for group {Gid}; it talks to tgtd at {Tgtd}", socketPath, ownGroup, tgtd.Path);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(cancellationToken);
                await _connections.WaitAsync(cancellationToken);
                _ = Task.Run(() => ServeAsync(connection, ownGroup, cancellationToken), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    private async Task ServeAsync(Socket connection, int ownGroup, CancellationToken cancellationToken)
    {
        try
        {
            using (connection)
            {
                var peer = HelperWire.Peer(connection);
                if (!peer.IsRoot && peer.Gid != ownGroup)
                {
                    logger.LogWarning("Refused a connection from uid {Uid} gid {Gid} (pid {Pid}): not the service's group", peer.Uid, peer.Gid, peer.Pid);
                    return;
                }
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                patience.CancelAfter(TimeSpan.FromSeconds(60));
                var line = await HelperWire.ReadLineAsync(connection, patience.Token);
                var reply = line is null ? TgtReply.Refuse("The request must be one line of JSON.") : await AnswerAsync(line, peer, patience.Token);
                await HelperWire.WriteLineAsync(connection, reply, patience.Token);
            }
        }
        catch (Exception problem) when (problem is SocketException or OperationCanceledException or IOException)
        {
            logger.LogDebug(problem, "A helper connection broke off");
        }
        finally
        {
            _connections.Release();
        }
    }

    /// <summary>One request, checked, sent to tgtd, and its answer.</summary>
    public async Task<TgtReply> AnswerAsync(string line, HelperPeer peer, CancellationToken cancellationToken)
    {
        TgtRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<TgtRequest>(line, HelperWire.Json);
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request is null)
        {
            return TgtReply.Refuse("The request is not a tgt request GGnet knows.");
        }
        if (await policy.RefusalAsync(request, peer, cancellationToken) is { } refusal)
        {
            logger.LogWarning("Refused for uid {Uid} (pid {Pid}): {Request}: {Reason}", peer.Uid, peer.Pid, request, refusal);
            return TgtReply.Refuse(refusal);
        }
        if (request is not { Mode: TgtMode.LogicalUnit, Operation: TgtOperation.New })
        {
            return await tgtd.SendAsync(request, cancellationToken);
        }
        return await AttachAsync(request, cancellationToken);
    }

    // One disk at a time, so the files tgtd opens meanwhile are this disk's.
    private async Task<TgtReply> AttachAsync(TgtRequest request, CancellationToken cancellationToken)
    {
        await _attaching.WaitAsync(cancellationToken);
        try
        {
            var pid = await tgtd.ServerPidAsync(cancellationToken);
            var before = pid is { } p ? files.OpenFiles(p) : new Dictionary<string, string>();
            var reply = await tgtd.SendAsync(request, cancellationToken);
            if (!reply.Succeeded || pid is null)
            {
                return reply;
            }
            var opened = files.OpenFiles(pid.Value)
                .Where(f => !before.TryGetValue(f.Key, out var was) || was != f.Value)
                .Select(f => f.Value)
                .Where(target => target.StartsWith('/'))
                .ToList();
            if (opened.All(target => target == request.BackingStore))
            {
                return reply;
            }
            await tgtd.SendAsync(new TgtRequest(TgtMode.LogicalUnit, TgtOperation.Delete) { Tid = request.Tid, Lun = request.Lun }, CancellationToken.None);
            logger.LogWarning("tgtd opened {Opened} for {Disk}: the disk was replaced while it was attached; the LUN was removed", string.Join(", ", opened), request.BackingStore);
            return TgtReply.Refuse($"{request.BackingStore} was replaced while tgtd opened it; nothing was attached.");
        }
        finally
        {
            _attaching.Release();
        }
    }

    private static int OwnGroup() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Gid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _attaching.Dispose();
        _connections.Dispose();
    }
}
