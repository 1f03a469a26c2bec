using System.Globalization;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Images;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Iscsi.Tgt;

/// <summary>
/// The userspace tgt target, driven through its management socket (<see cref="ITgtControl"/>): LUN 1 carries the disk (LUN 0 is tgt's controller),
/// the ACL admits the PC's address where it is known, else names the machine's initiator (never ALL); tgt admits a
/// login that matches either list, so a target never has both. CHAP is on by default.
/// </summary>
public sealed class TgtBackend(ITgtControl tgt, IOptions<IscsiOptions> options, TimeProvider clock, ILogger<TgtBackend>? logger = null) : IIscsiBackend, IDisposable
{
    // tgt picks no target ids itself, and two creates must not pick the same one. The next free id is kept here, found
    // by one listing the first time: listing every target before each create cost 14 ms and ~1 MB of text to parse at
    // 1000 targets, and held every other create back meanwhile. Should the id be taken after all (another program
    // made a target), tgt refuses it and the listing is asked again.
    private readonly SemaphoreSlim _tidGate = new(1, 1);
    private readonly SemaphoreSlim _admitGate = new(1, 1);
    private int _nextTid;

    // Each of GGnet's targets by name: its id and CHAP accounts, as GGnet made it or as tgt's last listing showed it, so
    // a stop needs no listing (at 200 targets each listing is ~200 KB that tgtd writes and GGnet parses, one stop at a time).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);

    // The address each target was last narrowed to, so a PC's every script request does not list the targets again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _admitted = new(StringComparer.Ordinal);

    public IscsiBackendKind Kind => IscsiBackendKind.Tgt;

    /// <summary>tgt's LUN 0 is its controller: the disk goes on LUN 1.</summary>
    public const int DiskLunNumber = 1;

    public int DiskLun => DiskLunNumber;

    /// <summary>An install session's ISO: a CD-ROM on the LUN after the disk.</summary>
    public static readonly int MediumLunNumber = InstallMedia.LunAfter(DiskLunNumber);

    public async Task<BackendAvailability> CheckAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync(new TgtRequest(TgtMode.Target, TgtOperation.Show), cancellationToken);
        return result.Succeeded
            ? new BackendAvailability(true, "tgt answers.")
            : new BackendAvailability(false, $"tgtd does not answer ({result.Explanation}). Start it with 'systemctl start tgt'.");
    }

    public async Task CreateTargetAsync(IscsiTargetSpec spec, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> files = spec.InstallMediumPath is { } iso ? [.. spec.DiskPaths, iso] : spec.DiskPaths;
        if (files.FirstOrDefault(file => !Path.IsPathFullyQualified(file)) is { } relative)
        {
            throw new IscsiBackendException($"The path {relative} is not absolute; tgt needs full paths.");
        }
        _admitted.TryRemove(spec.Target.Value, out _);
        var id = await NewTargetAsync(spec.Target, cancellationToken);
        try
        {
            await RequireAsync(new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = id, Lun = DiskLunNumber, BackingStore = spec.LunPath },
                $"attach {spec.LunPath} as LUN {DiskLunNumber}", cancellationToken);
            foreach (var (path, number) in (spec.DataDiskPaths ?? []).Select((path, index) => (path, index + 1)))
            {
                var lun = DataDisks.LunOf(DiskLunNumber, number);
                await RequireAsync(new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = id, Lun = (ulong)lun, BackingStore = path },
                    $"attach the data disk {path} as LUN {lun}", cancellationToken);
            }
            if (spec.InstallMediumPath is { } medium)
            {
                await RequireAsync(new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = id, Lun = (ulong)MediumLunNumber, BackingStore = medium, DeviceType = TgtDeviceType.Cd },
                    $"attach the installer {medium} as LUN {MediumLunNumber}", cancellationToken);
            }
            // Accounts before the address: a target admits no login until it allows someone.
            if (spec.Chap is { } chap)
            {
                await NewAccountAsync(chap.User, chap.Secret, cancellationToken);
                await RequireAsync(new TgtRequest(TgtMode.Account, TgtOperation.Bind) { Tid = id, User = chap.User }, "bind the CHAP account", cancellationToken);
                if (chap is { IsMutual: true, MutualUser: { } mutualUser, MutualSecret: { } mutualSecret })
                {
                    await NewAccountAsync(mutualUser, mutualSecret, cancellationToken);
                    await RequireAsync(new TgtRequest(TgtMode.Account, TgtOperation.Bind) { Tid = id, User = mutualUser, Outgoing = true },
                        "bind the target's own CHAP account (mutual CHAP)", cancellationToken);
                }
            }
            var allow = spec.AllowedAddress is { } address
                ? new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = id, InitiatorAddress = address.ToString() }
                : new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = id, InitiatorName = spec.AllowedInitiator.Value };
            await RequireAsync(allow, $"allow {allow.InitiatorAddress ?? allow.InitiatorName}", cancellationToken);
            Remember(spec.Target.Value, new Known(id, new[] { spec.Chap?.User, spec.Chap?.MutualUser }.OfType<string>().ToList()));
        }
        catch (IscsiBackendException)
        {
            await SendAsync(DeleteTarget(id), CancellationToken.None);
            foreach (var user in new[] { spec.Chap?.User, spec.Chap?.MutualUser }.OfType<string>())
            {
                await SendAsync(new TgtRequest(TgtMode.Account, TgtOperation.Delete) { User = user }, CancellationToken.None);
            }
            throw;
        }
    }

    // "new target" with the next free id; tgt refuses an id or a name it has ("this target already exists").
    private async Task<int> NewTargetAsync(Iqn target, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var id = await TakeTidAsync(relist: attempt > 0, cancellationToken);
            var result = await SendAsync(new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = id, TargetName = target.Value }, cancellationToken);
            if (result.Succeeded)
            {
                return id;
            }
            if (result.Status != TgtStatus.TargetExists || attempt == 2)
            {
                throw new IscsiBackendException($"tgt could not create the target {target}: {result.Explanation}");
            }
            if ((await ListAsync(cancellationToken)).Any(e => e.State.Target == target))
            {
                throw new IscsiBackendException($"The target {target} already exists in tgt.");
            }
        }
    }

    private async Task<int> TakeTidAsync(bool relist, CancellationToken cancellationToken)
    {
        await _tidGate.WaitAsync(cancellationToken);
        try
        {
            if (_nextTid == 0 || relist)
            {
                var existing = await ListAsync(cancellationToken);
                _nextTid = Math.Max(_nextTid, existing.Count == 0 ? 1 : existing.Max(e => e.Tid) + 1);
            }
            return _nextTid++;
        }
        finally
        {
            _tidGate.Release();
        }
    }

    public async Task DeleteTargetAsync(Iqn target, CancellationToken cancellationToken)
    {
        _admitted.TryRemove(target.Value, out _);
        var entry = _known.TryGetValue(target.Value, out var known)
            ? known
            : (await ListAsync(cancellationToken)).Where(e => e.State.Target == target).Select(e => new Known(e.Tid, e.Accounts)).FirstOrDefault();
        if (entry is null)
        {
            return;
        }
        var id = entry.Tid;
        var deadline = clock.GetUtcNow().AddMilliseconds(options.Value.DeleteRetryMilliseconds);
        while (true)
        {
            // With I/O in flight tgt answers "this logical unit is still active" (rc 22) for a while: retry.
            var result = await SendAsync(DeleteTarget(id), cancellationToken);
            if (result.Succeeded || result.Status == TgtStatus.NoTarget)
            {
                _known.TryRemove(target.Value, out _);
                // Accounts are tgt-wide and outlive the target: remove the ones it used.
                foreach (var account in entry.Accounts)
                {
                    await SendAsync(new TgtRequest(TgtMode.Account, TgtOperation.Delete) { User = account }, CancellationToken.None);
                }
                return;
            }
            if (clock.GetUtcNow() >= deadline)
            {
                throw new IscsiBackendException($"tgt would not delete the target {target}: {result.Explanation}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, cancellationToken);
        }
    }

    public async Task AdmitOnlyAsync(Iqn target, Ipv4Address address, CancellationToken cancellationToken)
    {
        var only = address.ToString();
        if (_admitted.TryGetValue(target.Value, out var admitted) && admitted == only)
        {
            return;
        }
        // One narrowing at a time: two interleaved could leave the list on one address and drop the other's connection.
        await _admitGate.WaitAsync(cancellationToken);
        try
        {
            await NarrowAsync(target, only, cancellationToken);
        }
        finally
        {
            _admitGate.Release();
        }
    }

    private async Task NarrowAsync(Iqn target, string only, CancellationToken cancellationToken)
    {
        if (_admitted.TryGetValue(target.Value, out var admitted) && admitted == only
            || (await ListAsync(cancellationToken)).FirstOrDefault(e => e.State.Target == target) is not { } entry)
        {
            return;
        }
        if (!entry.State.AllowedInitiators.Contains(only))
        {
            await RequireAsync(new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = entry.Tid, InitiatorAddress = only }, $"allow {only}", cancellationToken);
        }
        // Then the rest goes: the initiator name anyone can send, an address the PC had before.
        var others = entry.State.AllowedInitiators.Where(a => a != only).ToList();
        foreach (var other in others)
        {
            var unbind = Iqn.TryParse(other, out _, out _)
                ? new TgtRequest(TgtMode.Target, TgtOperation.Unbind) { Tid = entry.Tid, InitiatorName = other }
                : new TgtRequest(TgtMode.Target, TgtOperation.Unbind) { Tid = entry.Tid, InitiatorAddress = other };
            await RequireAsync(unbind, $"stop allowing {other}", cancellationToken);
        }
        // tgtd checks its list at login only: whoever got in while it admitted them (from the PC's old address, or by the
        // name before the PC asked for its script) is put out, or he would stay in. Until that is done the narrowing is not
        // remembered, so the PC's next request tries again.
        if (entry.State.Connections.Any(c => c.Address is { } from && from != only))
        {
            var kept = await DropConnectionsAsync(entry.Tid, c => c.Address is { } from && from != only, cancellationToken);
            if (kept.Count > 0)
            {
                throw new IscsiBackendException($"tgt would not drop the connections to {target} from {string.Join(", ", kept)}.");
            }
        }
        _admitted[target.Value] = only;
    }

    public async Task ListenOnlyOnAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        var portals = await PortalsAsync(cancellationToken);
        // The port stays the one tgtd listens on (3260, which iPXE's sanboot assumes).
        var port = portals.Count == 0 ? "3260" : PortOf(portals[0]);
        var only = $"{address}:{port}";
        if (!portals.Contains(only))
        {
            // First the new one: an address tgtd can't listen on must not leave PCs with no portal at all.
            await RequireAsync(new TgtRequest(TgtMode.Portal, TgtOperation.New) { Portal = only }, $"listen on {only}", cancellationToken);
        }
        foreach (var other in portals.Where(p => p != only))
        {
            await RequireAsync(new TgtRequest(TgtMode.Portal, TgtOperation.Delete) { Portal = other }, $"stop listening on {other}", cancellationToken);
        }
    }

    // "Portal: 0.0.0.0:3260,1", "Portal: [::]:3260,1": the address and port, then the portal group.
    private async Task<List<string>> PortalsAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync(new TgtRequest(TgtMode.Portal, TgtOperation.Show), cancellationToken);
        if (!result.Succeeded)
        {
            throw new IscsiBackendException($"tgt can't list its portals: {result.Explanation}");
        }
        return result.Text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("Portal: ", StringComparison.Ordinal))
            .Select(line => line["Portal: ".Length..].Split(',')[0])
            .ToList();
    }

    private static string PortOf(string portal) => portal[(portal.LastIndexOf(':') + 1)..];

    public async Task<IReadOnlyList<IscsiTargetState>> ListTargetsAsync(CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).Select(e => e.State).ToList();

    /// <summary>
    /// The connections to tgtd's portals, from the kernel's table for tgtd's network: GGnet's own, or, for a tgtd in the
    /// lab's namespace, that of tgtd's process. Null when tgtd does not answer (the listing then says so) or runs in a
    /// namespace and its process can't be told: GGnet's own table would not show its PCs.
    /// </summary>
    public async Task<IscsiSockets?> ReadSocketsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var ports = (await PortalsAsync(cancellationToken)).Select(p => int.Parse(PortOf(p), CultureInfo.InvariantCulture)).ToHashSet();
            if (string.IsNullOrEmpty(options.Value.NetworkNamespace))
            {
                return IscsiSocketTable.Read(null, ports);
            }
            return await tgt.ServerPidAsync(cancellationToken) is { } pid ? IscsiSocketTable.Read(pid, ports) : null;
        }
        catch (Exception problem) when (problem is IscsiBackendException or IOException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<TgtTargetListing.Entry>> ListAsync(CancellationToken cancellationToken)
    {
        var (result, listing) = await ReadAsync(new TgtRequest(TgtMode.Target, TgtOperation.Show), TgtTargetListing.Parse, cancellationToken);
        if (!result.Succeeded || listing is null)
        {
            // A tgtd that answered always gives a listing (empty when it has no targets); an unreachable one's explanation
            // asks whether it runs.
            throw new IscsiBackendException($"tgt can't list its targets: {result.Explanation}");
        }
        // What tgt has now replaces what was remembered: a restarted tgtd has none of the old targets.
        _known.Clear();
        foreach (var entry in listing)
        {
            _known[entry.State.Target.Value] = new Known(entry.Tid, entry.Accounts);
        }
        return listing;
    }

    // A target id tgt just gave out belongs to this target only: any other name remembered with it is gone from tgt. GGnet
    // never gives an id out twice (the next id only grows), so a name remembered after its target went names no other.
    private void Remember(string target, Known made)
    {
        foreach (var stale in _known.Where(k => k.Value.Tid == made.Tid && k.Key != target).Select(k => k.Key).ToList())
        {
            _known.TryRemove(stale, out _);
        }
        _known[target] = made;
    }

    private sealed record Known(int Tid, IReadOnlyList<string> Accounts);

    // An account of the same name left by a crash would keep its old secret: replace it.
    private async Task NewAccountAsync(string user, string secret, CancellationToken cancellationToken)
    {
        await SendAsync(new TgtRequest(TgtMode.Account, TgtOperation.Delete) { User = user }, cancellationToken);
        await RequireAsync(new TgtRequest(TgtMode.Account, TgtOperation.New) { User = user, Password = secret }, "create the CHAP account", cancellationToken);
    }

    // Every request is logged like a command GGnet runs (its password never); a successful look only at Debug, as it repeats.
    private async Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var reply = await tgt.SendAsync(request, cancellationToken);
        Log(request, reply, started);
        return reply;
    }

    private async Task<(TgtReply Reply, T? Read)> ReadAsync<T>(TgtRequest request, TgtTextReader<T> read, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var answer = await tgt.ReadAsync(request, read, cancellationToken);
        Log(request, answer.Reply, started);
        return answer;
    }

    private void Log(TgtRequest request, TgtReply reply, long started) =>
        logger?.Log(request.Operation == TgtOperation.Show && reply.Succeeded ? LogLevel.Debug : LogLevel.Information,
            "Sent tgtd {Request}: {Status} in {Milliseconds} ms", request.ToString(), reply.Status, (long)clock.GetElapsedTime(started).TotalMilliseconds);

    private static TgtRequest DeleteTarget(int tid) => new(TgtMode.Target, TgtOperation.Delete) { Tid = tid, Force = true };

    private async Task RequireAsync(TgtRequest request, string what, CancellationToken cancellationToken)
    {
        var result = await SendAsync(request, cancellationToken);
        if (!result.Succeeded)
        {
            throw new IscsiBackendException($"tgt could not {what}: {result.Explanation}");
        }
    }

    /// <summary>Drops every connection to the target (a PC that was switched off leaves its TCP connection behind).</summary>
    public async Task DropConnectionsAsync(Iqn target, CancellationToken cancellationToken)
    {
        if ((await ListAsync(cancellationToken)).FirstOrDefault(e => e.State.Target == target) is { } entry)
        {
            await DropConnectionsAsync(entry.Tid, _ => true, cancellationToken);
        }
    }

    // The addresses of the connections tgtd would not drop (one that ended meanwhile is gone all the same).
    private async Task<List<string>> DropConnectionsAsync(int tid, Func<TgtConnectionListing.Connection, bool> which, CancellationToken cancellationToken)
    {
        var kept = new List<string>();
        var listing = await SendAsync(new TgtRequest(TgtMode.Connection, TgtOperation.Show) { Tid = tid }, cancellationToken);
        foreach (var connection in TgtConnectionListing.Parse(listing.Text).Where(which))
        {
            var dropped = await SendAsync(new TgtRequest(TgtMode.Connection, TgtOperation.Delete)
            {
                Tid = tid,
                Sid = ulong.Parse(connection.Sid, CultureInfo.InvariantCulture),
                Cid = uint.Parse(connection.Cid, CultureInfo.InvariantCulture),
            }, cancellationToken);
            if (!dropped.Succeeded && dropped.Status is not (TgtStatus.NoSession or TgtStatus.NoConnection))
            {
                kept.Add(connection.Address ?? "an unknown address");
            }
        }
        return kept;
    }

    public void Dispose()
    {
        _tidGate.Dispose();
        _admitGate.Dispose();
    }
}
