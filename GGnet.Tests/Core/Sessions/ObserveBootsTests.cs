using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using GGnet.Core.Webhooks;
using GGnet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Sessions;

/// <summary>What the boot observer makes of what it sees: leases, logins coming and going, an OS taking its disk over.</summary>
public sealed class ObserveBootsTests
{
    private static readonly DateTime Start = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Iqn TargetName = Iqn.Parse("iqn.2024-01.net.ggnet:session.1");
    private const string Initiator = "iqn.2010-04.org.ipxe:pc-17";

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryMachineRepository _machines = new();
    private readonly RecordingStatusNotifier _notifier = new();
    private readonly RecordingSessionParts _iscsi = new();
    private readonly GivenLeases _leases = new();
    private readonly BootObservationMemory _memory = new() { OfflineAfter = TimeSpan.FromSeconds(30), Since = Start.AddSeconds(-1) };
    private readonly InMemorySessions _sessions;
    private readonly Machine _pc = BootSamples.Machine(17, "pc-17", "52:54:00:00:00:17");
    private Session _session = null!;

    public ObserveBootsTests()
    {
        var webhooks = new InMemoryWebhooks();
        _sessions = new InMemorySessions(new AfterSessionCommit(_notifier, new PublishWebhookEvents(webhooks, webhooks, _clock), _machines, new InMemoryImages()), _machines);
    }

    [Fact]
    public async Task AReadySession_WhosePcLogsInToItsTarget_IsOnline_AndSoIsThePc()
    {
        await ReadyAsync();
        Login("1");

        await ObserveAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(SessionState.Online, _session.State);
        Assert.Equal(BootStage.Online, _pc.BootStage);
    }

    [Fact]
    public async Task AnOnlineSession_WhoseLoginIsGoneForTheOfflineTime_IsReadyAgain_AndThePcOffline_NotBefore()
    {
        await ReadyAsync();
        Login("1");
        await ObserveAsync(TimeSpan.FromSeconds(2));
        _iscsi.Listed.Clear();

        await ObserveAsync(TimeSpan.FromSeconds(29));
        var justBefore = _session.State;
        await ObserveAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(SessionState.Online, justBefore);
        Assert.Equal(SessionState.Ready, _session.State);
        Assert.Equal(BootStage.Offline, _pc.BootStage);
    }

    [Fact]
    public async Task AReadySession_WhosePcGotALease_IsBooting()
    {
        await ReadyAsync();
        _leases.Given.Add(new DhcpLease(_pc.MacAddress, Ipv4Address.Parse("10.99.0.117"), Start.AddSeconds(1), Ends: null, Bound: true));

        await ObserveAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(BootStage.DhcpLease, _pc.BootStage);
        Assert.Equal(SessionState.Booting, _session.State);
    }

    [Fact]
    public async Task ALeaseGivenBeforeTheObserverStarted_IsNoSignOfABoot()
    {
        await ReadyAsync();
        _leases.Given.Add(new DhcpLease(_pc.MacAddress, Ipv4Address.Parse("10.99.0.117"), Start.AddMinutes(-5), Ends: null, Bound: true));

        await ObserveAsync(TimeSpan.FromSeconds(2));

        Assert.NotEqual(BootStage.DhcpLease, _pc.BootStage);
        Assert.Equal(SessionState.Ready, _session.State);
    }

    [Fact]
    public async Task ALoginOfItsOwnAfterTheFirmwares_IsTheOsTakingTheDiskOver()
    {
        await ReadyAsync();
        Login("1");
        await ObserveAsync(TimeSpan.FromSeconds(2));
        var beforeTheOs = _session.OsTookOverAt;

        Login("1", "2");
        await ObserveAsync(TimeSpan.FromSeconds(2));

        Assert.Null(beforeTheOs);
        Assert.Equal(Start.AddSeconds(4), _session.OsTookOverAt);
        Assert.Equal(SessionState.Online, _session.State);
    }

    // With the PCs' connections known and unchanged, tgt is not asked for its listing at all, and the logins it showed
    // last still count: the PC stays Online past the offline time.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithItsOsUp_ThePcsLoginsAndTheRunningSessionsAreReadEveryTenSeconds_NotOnEveryPass(bool connectionsKnown)
    {
        _iscsi.Sockets = connectionsKnown ? new IscsiSockets(2, "firmware and OS") : null;
        await OsUpAsync();
        var (listings, sessions, pcs) = (_iscsi.Listings, _sessions.ActiveListings, _machines.ManyReads);

        await PassesAsync(20);

        Assert.Equal(connectionsKnown ? 0 : 4, _iscsi.Listings - listings);
        Assert.Equal(4, _sessions.ActiveListings - sessions);
        Assert.Equal(4, _machines.ManyReads - pcs);
        Assert.Equal(SessionState.Online, _session.State);
    }

    [Fact]
    public async Task APcOnItsWayUp_HasItsLoginsReadOnEveryPass()
    {
        await ReadyAsync();
        _leases.Given.Add(new DhcpLease(_pc.MacAddress, Ipv4Address.Parse("10.99.0.117"), Start.AddSeconds(1), Ends: null, Bound: true));

        await PassesAsync(5);

        Assert.Equal(5, _iscsi.Listings);
    }

    [Fact]
    public async Task AReadySession_WhosePcGotItsLeaseBeforeTheSessionWasReady_IsNotOnItsWayUp()
    {
        _pc.ObserveBootStage(BootStage.DhcpLease, Start.AddMinutes(-1));
        await ReadyAsync();
        await ObserveAsync(TimeSpan.FromSeconds(2));
        var before = _iscsi.Listings;

        await PassesAsync(5);

        Assert.Equal(1, _iscsi.Listings - before);
        Assert.Equal(SessionState.Ready, _session.State);
    }

    // With the PCs' connections known, the listing is asked for again because they changed.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APcWhoseOsWasUp_GoesOffline_AtMostTenSecondsAfterTheOfflineTime(bool connectionsKnown)
    {
        _iscsi.Sockets = connectionsKnown ? new IscsiSockets(2, "firmware and OS") : null;
        await OsUpAsync();
        var lastSeen = _clock.GetUtcNow().UtcDateTime;
        _iscsi.Listed.Clear();
        _iscsi.Sockets = connectionsKnown ? new IscsiSockets(0, "none") : null;

        while (_session.State == SessionState.Online && _clock.GetUtcNow().UtcDateTime < lastSeen.AddMinutes(2))
        {
            await ObserveAsync(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(SessionState.Ready, _session.State);
        Assert.InRange(_clock.GetUtcNow().UtcDateTime - lastSeen, _memory.OfflineAfter, _memory.OfflineAfter + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task APcThatLogsInWithNoLeaseOrScriptFirst_IsSeenOnlineAtTheNextListing_TenSecondsAtMost()
    {
        await ReadyAsync();
        await ObserveAsync(TimeSpan.FromSeconds(2));
        Login("1");

        while (_session.State == SessionState.Ready && _clock.GetUtcNow().UtcDateTime < Start.AddMinutes(1))
        {
            await ObserveAsync(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(SessionState.Online, _session.State);
        Assert.Equal(Start.AddSeconds(12), _session.OnlineAt);
    }

    [Fact]
    public async Task AListingWithFewerLoginsThanConnections_IsAskedForAgainAtTheNextLook_ALoginInProgress_OrAConnectionThatNeverLogsIn()
    {
        await ReadyAsync();
        _iscsi.Sockets = new IscsiSockets(1, "a PC logging in");
        await ObserveAsync(TimeSpan.FromSeconds(2));
        Login("1");

        await PassesAsync(5);

        Assert.Equal(SessionState.Online, _session.State);
        Assert.Equal(2, _iscsi.Listings);
    }

    // Ready, attached by the PC's firmware (login 1), then taken over by its OS (login 2): the last listing is now.
    private async Task OsUpAsync()
    {
        await ReadyAsync();
        Login("1");
        await ObserveAsync(TimeSpan.FromSeconds(2));
        Login("1", "2");
        await ObserveAsync(TimeSpan.FromSeconds(2));
        Assert.NotNull(_session.OsTookOverAt);
    }

    private async Task ReadyAsync()
    {
        await _machines.AddAsync(_pc, CancellationToken.None);
        _session = new Session(_pc.Id, 1, SessionType.Normal, InMemoryNodes.Local.Key, Start);
        _session.AttachTarget(new Target(TargetName, "/disks/session-1.img", IscsiBackendKind.Tgt, 1, null));
        _session.MoveTo(SessionState.Ready, Start);
        await _sessions.AddAsync(_session, _ => null!, CancellationToken.None);
    }

    // The PC's logins to its target now, by tgt's login numbers: its firmware's first, then its OS's.
    private void Login(params string[] logins)
    {
        _iscsi.Listed.Clear();
        _iscsi.Listed.Add(new IscsiTargetState(TargetName, ["/disks/session-1.img"], [Initiator],
            [.. logins.Select(login => new IscsiConnection(Initiator, "10.99.0.117", login))]));
    }

    // The observer's passes, 2 s apart.
    private async Task PassesAsync(int count)
    {
        for (var pass = 0; pass < count; pass++)
        {
            await ObserveAsync(TimeSpan.FromSeconds(2));
        }
    }

    private async Task ObserveAsync(TimeSpan after)
    {
        _clock.Advance(after);
        var observe = new ObserveBoots(_sessions, new InMemoryBootRepository(_machines), _machines, _iscsi, _leases, new GetMachine(_machines), _notifier, _iscsi,
            _memory, TestMetrics.Create(), _clock);
        await observe.ExecuteAsync(CancellationToken.None);
    }
}
