using System.Net.Sockets;
using System.Text.Json;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.RootHelper;

/// <summary>
/// GGnet's root helper: runs as root, listens on a Unix socket only its group (the service's) may open, and does for
/// the service what needs root and nothing else: GGnet's own tgtd operations (<see cref="TgtRequestPolicy"/>), and
/// installing the DHCP daemons' configuration (only lines GGnet writes, into a folder only root may write). A disk is
/// checked again once tgtd opened it: if tgtd holds any other file than the checked one (a link swapped in meanwhile),
/// the LUN goes at once.
/// </summary>
public sealed class RootHelperServer(
    TgtdSocket tgtd, TgtRequestPolicy policy, IHelperFiles files, LocalConfigInstaller configs, ExternalCommand commands, ILogger<RootHelperServer> logger) : IDisposable
{
    private const int MaxConnections = 64;
    private readonly SemaphoreSlim _attaching = new(1, 1);
    private readonly SemaphoreSlim _connections = new(MaxConnections, MaxConnections);

    public async Task RunAsync(string socketPath, string group, CancellationToken cancellationToken)
    {
        // Made under a temporary name, given to the group, then renamed: nobody finds it before its mode is right.
        var making = socketPath + ".new";
        File.Delete(making);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(making));
        File.SetUnixFileMode(making, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var given = await commands.RunAsync("chown", [$"root:{group}", "--", making], cancellationToken);
        if (!given.Succeeded)
        {
            throw new InvalidOperationException($"GGnet's helper can't give its socket to the group {group}: {given.Explanation}");
        }
        // Its owner (root) and its group (the service's) may connect; nobody else.
        File.SetUnixFileMode(making, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        listener.Listen(MaxConnections);
        File.Move(making, socketPath, overwrite: true);
        logger.LogInformation("GGnet's helper listens on {Socket} for the group {Group}; it talks to tgtd at {Tgtd}", socketPath, group, tgtd.Path);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(cancellationToken);
                await _connections.WaitAsync(cancellationToken);
                _ = Task.Run(() => ServeAsync(connection, cancellationToken), CancellationToken.None);
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

    private async Task ServeAsync(Socket connection, CancellationToken cancellationToken)
    {
        try
        {
            using (connection)
            {
                // The socket's mode let only root and the service's group this far.
                var peer = HelperWire.Peer(connection);
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                patience.CancelAfter(TimeSpan.FromSeconds(60));
                var line = await HelperWire.ReadLineAsync(connection, patience.Token);
                object reply = line is null ? TgtReply.Refuse("The request must be one line of JSON.") : await AnswerAsync(line, peer, patience.Token);
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

    /// <summary>One request, checked and carried out: a <see cref="TgtReply"/> or a <see cref="ConfigInstallReply"/>.</summary>
    public async Task<object> AnswerAsync(string line, HelperPeer peer, CancellationToken cancellationToken)
    {
        HelperRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<HelperRequest>(line, HelperWire.Json);
        }
        catch (JsonException)
        {
            request = null;
        }
        return request switch
        {
            { Tgt: { } tgt, DhcpConfig: null } => await TgtAsync(tgt, peer, cancellationToken),
            { DhcpConfig: { } config, Tgt: null } => await InstallAsync(config, peer, cancellationToken),
            _ => TgtReply.Refuse("The request is not one GGnet's helper knows."),
        };
    }

    private async Task<TgtReply> TgtAsync(TgtRequest request, HelperPeer peer, CancellationToken cancellationToken)
    {
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

    // The live file's folder must be root's alone, and every folder above it too (or sticky, like /tmp): where the
    // service may write or rename, a link it plants would be written through.
    private async Task<ConfigInstallReply> InstallAsync(ConfigInstallRequest request, HelperPeer peer, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(configs.Daemon(request.Daemon).Path) ?? "/";
        for (var level = folder; level is not null; level = Path.GetDirectoryName(level))
        {
            if (!await IsRootsAloneAsync(level, sticky: level != folder, cancellationToken))
            {
                var refused = $"The folder {level} is not root's alone, so GGnet's helper writes no configuration in {folder}. Run deploy/install.sh again: it gives the folder to root.";
                logger.LogWarning("Refused for uid {Uid}: {Reason}", peer.Uid, refused);
                return new ConfigInstallReply(ConfigInstallOutcome.Refused, refused);
            }
        }
        var reply = await configs.InstallAsync(request, cancellationToken);
        if (reply.Outcome == ConfigInstallOutcome.Refused)
        {
            logger.LogWarning("Refused for uid {Uid} (pid {Pid}): {Reason}", peer.Uid, peer.Pid, reply.Message);
        }
        return reply;
    }

    private async Task<bool> IsRootsAloneAsync(string folder, bool sticky, CancellationToken cancellationToken)
    {
        if (await files.FactsAsync(folder, cancellationToken) is not { OwnerUid: 0, Kind: "directory" })
        {
            return false;
        }
        var mode = File.GetUnixFileMode(folder);
        return (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0 || (sticky && (mode & UnixFileMode.StickyBit) != 0);
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

    public void Dispose()
    {
        _attaching.Dispose();
        _connections.Dispose();
    }
}
