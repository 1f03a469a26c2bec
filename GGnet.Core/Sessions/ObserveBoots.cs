using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// Watches what really happens — DHCP leases, script requests, iSCSI logins — and moves machines' boot
/// stages and sessions: Ready → Booting (the PC asked for an address or its script) → Online (its
/// initiator logged in to its target); Offline when that login is gone for a while (the session is Ready again).
/// </summary>
public sealed class ObserveBoots(
    ISessionRepository sessions,
    IBootRepository boot,
    IMachineRepository machineRecords,
    IIscsiBackend iscsi,
    ILeaseSource leases,
    GetMachine getMachine,
    IStatusNotifier notifier,
    IBootFileStore files,
    BootObservationMemory memory,
    Telemetry.GGnetMetrics metrics,
    TimeProvider clock)
{
    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lastConnected = memory.LastConnected;

        await ObserveLeasesAsync(now, cancellationToken);

        // While no PC is on its way up, logins only matter for noticing one gone (after OfflineAfter): the running sessions,
        // their PCs and their logins (tgt's listing, 2.3 MB at 1000 targets, when the connections changed) are read every
        // few seconds then, not on every pass; a pass in between only asks whether any PC is on its way up.
        if (memory.ListedAt is { } listedAt && now - listedAt < memory.SteadyListEvery && !await sessions.AnyOnTheirWayUpAsync(cancellationToken))
        {
            return;
        }
        var active = await sessions.ListActiveAsync(cancellationToken);
        // Only the PCs of the sessions watched, not every PC registered.
        var watched = active.Where(s => s.Target is not null).Select(s => s.MachineId).Distinct().ToList();
        if (watched.Count == 0)
        {
            return;
        }
        memory.ListedAt = now;
        var machines = (await machineRecords.FindManyAsync(watched, cancellationToken)).ToDictionary(m => m.Id);
        var connected = await ConnectedAsync(cancellationToken);
        foreach (var session in active)
        {
            if (session.Target is null || session.State is SessionState.Pending or SessionState.Provisioning or SessionState.Stopping)
            {
                continue;
            }
            if (!machines.TryGetValue(session.MachineId, out var machine))
            {
                continue;
            }
            machine = await ObserveTftpFetchAsync(machine, session, now, cancellationToken);
            if (connected.TryGetValue(session.Target.Iqn.Value, out var connections))
            {
                lastConnected[session.Id] = now;
                if (session.State == SessionState.Online)
                {
                    await ObserveOsTakeOverAsync(session, machine, connections, now, cancellationToken);
                }
                else
                {
                    // The first login of an attach is the firmware's (iPXE); the logins there now are not the OS's.
                    memory.FirmwareLogins[session.Id] = Logins(connections);
                    var connection = connections[0];
                    // The machine first: whoever sees the session Online then sees the PC Online too.
                    await boot.RecordObservationAsync(machine.Id, BootStage.Online,
                        new BootEvent(machine.Id, machine.MacAddress, BootEventKind.DiskAttached, null, now,
                            $"by its firmware: initiator {connection.Initiator} from {connection.Address}"), now, cancellationToken);
                    await MoveAsync(session, SessionState.Online, now, cancellationToken);
                }
                continue;
            }

            if (session.State == SessionState.Online && lastConnected.TryGetValue(session.Id, out var last) && now - last >= memory.OfflineAfter)
            {
                lastConnected.Remove(session.Id);
                memory.FirmwareLogins.Remove(session.Id);
                await boot.RecordObservationAsync(machine.Id, BootStage.Offline,
                    new BootEvent(machine.Id, machine.MacAddress, BootEventKind.DiskDetached, null, now), now, cancellationToken);
                await MoveAsync(session, SessionState.Ready, now, cancellationToken);
            }
            else if (session.State == SessionState.Online && !lastConnected.ContainsKey(session.Id))
            {
                // Online before this observer started (e.g. after a restart): start the offline clock now.
                lastConnected[session.Id] = now;
            }
            else if (session.State == SessionState.Ready && IsOnItsWayUp(session, machine))
            {
                await MoveAsync(session, SessionState.Booting, now, cancellationToken);
            }
        }
    }

    // The targets with logins, by name. tgt writes its listing on the one thread that moves every PC's disk traffic (17 ms
    // at 1000 targets): it is asked for again only when the PCs' connections changed since, or when it did not show a
    // login for each of them then (one was still logging in). The connections are read first: one that comes while the
    // listing is written changes them again.
    private async Task<Dictionary<string, IReadOnlyList<IscsiConnection>>> ConnectedAsync(CancellationToken cancellationToken)
    {
        var sockets = await iscsi.ReadSocketsAsync(cancellationToken);
        if (sockets is not null && memory.Listing is { } kept && kept.Sockets == sockets)
        {
            return kept.Connected;
        }
        var connected = (await iscsi.ListTargetsAsync(cancellationToken))
            .Where(t => t.Connections.Count > 0)
            .ToDictionary(t => t.Target.Value, t => t.Connections, StringComparer.Ordinal);
        var complete = sockets is not null && connected.Values.Sum(c => c.Count) == sockets.Count;
        memory.Listing = complete ? new ObservedListing(sockets!, connected) : null;
        return connected;
    }

    /// <summary>
    /// Its session Booting, Ready with a lease or a script fetched since, or Online before its OS took the disk over (the
    /// store answers the same in one query, <see cref="ISessionRepository.AnyOnTheirWayUpAsync"/>). A PC that logs in with
    /// none of these first (an OS reconnecting after it went Offline) is seen at the next steady listing.
    /// </summary>
    public static bool IsOnItsWayUp(Session session, Machine? machine) => session switch
    {
        { Target: null } => false,
        { State: SessionState.Booting } => true,
        { State: SessionState.Online, OsTookOverAt: null } => true,
        { State: SessionState.Ready } => machine is { BootStage: BootStage.ScriptFetched or BootStage.DhcpLease }
            && machine.BootStageChangedAt >= session.ReadyAt,
        _ => false,
    };

    /// <summary>
    /// An operating system that boots from its iSCSI disk logs in again with its own initiator (the iBFT's name, so
    /// the same name): a login the firmware did not have is the OS taking over (<see cref="OsLogin"/>). After a restart of
    /// GGnet the logins present are taken as the firmware's.
    /// </summary>
    private async Task ObserveOsTakeOverAsync(Session session, Machine machine, IReadOnlyList<IscsiConnection> connections, DateTime now, CancellationToken cancellationToken)
    {
        if (session.OsTookOverAt is not null)
        {
            return;
        }
        if (!memory.FirmwareLogins.TryGetValue(session.Id, out var firmware))
        {
            memory.FirmwareLogins[session.Id] = Logins(connections);
            return;
        }
        if (OsLogin.Find(firmware, connections, firmwareHooks: 1 + session.CopiedVersionIds.Count) is not { } os)
        {
            return;
        }
        session.ObserveOsTookOver(now);
        if (!await sessions.SaveStateIfStillAsync(session, SessionState.Online, cancellationToken))
        {
            return;
        }
        await boot.RecordObservationAsync(machine.Id, BootStage.Online,
            new BootEvent(machine.Id, machine.MacAddress, BootEventKind.OsTookOver, null, now, $"initiator {os.Initiator} from {os.Address}, a login of its own"), now, cancellationToken);
        notifier.MachineChanged(machine.Id);
    }

    private static HashSet<string> Logins(IReadOnlyList<IscsiConnection> connections) => OsLogin.Logins(connections);

    // The session was read at the start of this pass: a stop saved since then wins over what this pass observed.
    private async Task<bool> MoveAsync(Session session, SessionState state, DateTime now, CancellationToken cancellationToken)
    {
        var readAs = session.State;
        session.MoveTo(state, now);
        return await sessions.SaveStateIfStillAsync(session, readAs, cancellationToken);
    }

    // tftpd-hpa logs only to syslog; the script file's access time tells that it was downloaded since written.
    private async Task<Machine> ObserveTftpFetchAsync(Machine machine, Session session, DateTime now, CancellationToken cancellationToken)
    {
        if (session.State != SessionState.Ready
            || await files.ReadSinceWrittenAsync(Boot.TftpScriptPath.Of(machine.MacAddress), cancellationToken) is not { } readAt
            || readAt < session.ReadyAt
            || memory.TftpReadsSeen.TryGetValue(session.Id, out var seen) && seen >= readAt)
        {
            return machine;
        }
        memory.TftpReadsSeen[session.Id] = readAt;
        metrics.ScriptRequested("tftp", knownPc: true);
        await boot.RecordObservationAsync(machine.Id, BootStage.ScriptFetched,
            new BootEvent(machine.Id, machine.MacAddress, BootEventKind.ScriptFetchedTftp, null, now), readAt, cancellationToken);
        notifier.MachineChanged(machine.Id);
        return await getMachine.ExecuteAsync(machine.Id, cancellationToken);
    }

    private async Task ObserveLeasesAsync(DateTime now, CancellationToken cancellationToken)
    {
        var leasesSeen = memory.LeasesSeen;
        foreach (var lease in await leases.ReadAsync(cancellationToken) ?? [])
        {
            // A lease dhcpd freed (expired or released) is no sign of a PC booting either.
            if (!lease.Bound || leasesSeen.TryGetValue(lease.MacAddress.Value, out var seen) && seen >= lease.Starts)
            {
                continue;
            }
            leasesSeen[lease.MacAddress.Value] = lease.Starts;
            // A lease given before GGnet started (read again after a restart) is no sign of a PC booting now.
            if (lease.Starts < memory.Since)
            {
                continue;
            }
            if (await boot.FindMachineAsync(lease.MacAddress, cancellationToken) is { } machine)
            {
                await boot.RecordObservationAsync(machine.Id, BootStage.DhcpLease,
                    new BootEvent(machine.Id, machine.MacAddress, BootEventKind.DhcpLease, lease.Address, now), now, cancellationToken);
                notifier.MachineChanged(machine.Id);
            }
        }
    }
}

/// <summary>What the boot observer remembers between polls: when each session's disk was last connected, which leases it saw, when it last looked at the whole hall.</summary>
public sealed class BootObservationMemory
{
    public Dictionary<int, DateTime> LastConnected { get; } = [];

    public Dictionary<string, DateTime> LeasesSeen { get; } = new(StringComparer.Ordinal);

    public Dictionary<int, DateTime> TftpReadsSeen { get; } = [];

    /// <summary>The disk logins each online session had when its PC's firmware attached it.</summary>
    public Dictionary<int, HashSet<string>> FirmwareLogins { get; } = [];

    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The last target listing that showed a login for each of the PCs' connections, and those connections.</summary>
    public ObservedListing? Listing { get; set; }

    /// <summary>When the whole hall (the running sessions, their PCs and the target listing) was last read.</summary>
    public DateTime? ListedAt { get; set; }

    /// <summary>How often the whole hall is read while no PC is on its way up: a third of <see cref="OfflineAfter"/>, at most 10 s.</summary>
    public TimeSpan SteadyListEvery => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, OfflineAfter.Ticks / 3));

    /// <summary>When observing began: leases that started earlier are old news.</summary>
    public DateTime Since { get; set; } = DateTime.MinValue;
}

/// <summary>A target listing's logins (targets with logins, by name) and the PCs' connections when it was read.</summary>
public sealed record ObservedListing(IscsiSockets Sockets, Dictionary<string, IReadOnlyList<IscsiConnection>> Connected);
