using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Identity;
using GGnet.Infrastructure.Notifications;
using GGnet.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Boot;

/// <summary>A PC's script request: a PC without a session gets its waiting script rendered once, until a change to it.</summary>
public sealed class ServePcBootScriptTests : IDisposable
{
    private static readonly MacAddress Mac = MacAddress.Parse("52:54:00:cc:00:01");
    private readonly InMemoryMachineRepository _machines = new();
    private readonly InMemoryBootRepository _boot;
    private readonly InProcessStatusNotifier _notifier = new();
    private readonly BootInputs _inputs;
    private readonly ServePcBootScript _serve;
    private readonly Machine _machine;

    public ServePcBootScriptTests()
    {
        _boot = new InMemoryBootRepository(_machines);
        _inputs = new BootInputs(_boot, _notifier, TimeProvider.System, new BootInputsCaching(true), TestMetrics.Create());
        _serve = ServeAt(TimeProvider.System);
        _machine = new Machine(new MachineDetails(Hostname.Parse("hall-01"), Mac, null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
        _machines.AddAsync(_machine, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task APcWithoutSession_AskingAgain_GetsTheWaitingScriptRenderedOnce()
    {
        var first = await AskAsync();
        var again = await AskAsync();

        Assert.Contains("hall-01 (52:54:00:cc:00:01) has no session yet", first, StringComparison.Ordinal);
        Assert.Same(first, again);
    }

    [Fact]
    public async Task AChangeToThePc_RendersItsScriptAgain_WithTheChange()
    {
        await AskAsync();
        _machine.Update(new MachineDetails(Hostname.Parse("hall-02"), Mac, null, null, null, Firmware.Bios, null, true), "admin", DateTime.UtcNow);
        _notifier.MachineChanged(_machine.Id);

        var after = await AskAsync();

        Assert.Contains("hall-02 (52:54:00:cc:00:01) has no session yet", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APcWithASession_GetsItsScriptMadeForEachRequest()
    {
        _boot.Targets[_machine.Id] = new ActiveTarget(7, "win11 v1", Iqn.Parse("iqn.2024-01.net.ggnet:session.7"), 1);

        var first = await AskAsync();
        var again = await AskAsync();

        Assert.Contains("iqn.2024-01.net.ggnet:session.7", first, StringComparison.Ordinal);
        Assert.Equal(first, again);
        Assert.NotSame(first, again);
    }

    [Fact]
    public async Task AnAttachFailureReportedAgainAndAgain_IsRecordedOnceAMinute_ANewCodeAtOnce_AndTheTileShowsItAgainAfterAnAttach()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-08T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var seat = new Machine(new MachineDetails(Hostname.Parse("hall-17"), SeatMac, SeatAddress, null, null, Firmware.Bios, null, true), clock.GetUtcNow().UtcDateTime);
        await _machines.AddAsync(seat, CancellationToken.None);
        _boot.Targets[seat.Id] = new ActiveTarget(17, "win11 v1", Iqn.Parse("iqn.2024-01.net.ggnet:session.17"), 1);
        var serve = ServeAt(clock);
        var timeout = new AttachFailure(0x4c106035);

        for (var i = 0; i < 30; i++)
        {
            await serve.ExecuteAsync(SeatMac, SeatAddress, Firmware.Bios, CancellationToken.None, timeout);
        }
        var afterThirty = _boot.Observed.Count;
        // Its firmware attaches again and fails again: the tile shows the failure again, from then, without a new event.
        seat.ObserveBootStage(BootStage.DiskAttached, clock.GetUtcNow().UtcDateTime);
        clock.Advance(TimeSpan.FromSeconds(5));
        await serve.ExecuteAsync(SeatMac, SeatAddress, Firmware.Bios, CancellationToken.None, timeout);
        var stageAgain = (seat.BootStage, seat.BootStageChangedAt);
        var failedAgainAt = clock.GetUtcNow().UtcDateTime;
        var afterAgain = _boot.Observed.Count;
        await serve.ExecuteAsync(SeatMac, SeatAddress, Firmware.Bios, CancellationToken.None, new AttachFailure(0x410d613c));
        var afterAnotherCode = _boot.Observed.Count;
        clock.Advance(ServePcBootScript.AttachFailureRepeat);
        await serve.ExecuteAsync(SeatMac, SeatAddress, Firmware.Bios, CancellationToken.None, new AttachFailure(0x410d613c));

        Assert.Equal(1, afterThirty);
        Assert.Equal((BootStage.AttachFailed, (DateTime?)failedAgainAt), stageAgain);
        Assert.Equal(1, afterAgain);
        Assert.Equal(2, afterAnotherCode);
        Assert.Equal(3, _boot.Observed.Count);
        Assert.All(_boot.Observed, e => Assert.Equal(BootEventKind.AttachFailed, e.Kind));
    }

    public void Dispose() => _inputs.Dispose();

    private static readonly MacAddress SeatMac = MacAddress.Parse("52:54:00:cc:00:17");
    private static readonly Ipv4Address SeatAddress = Ipv4Address.Parse("10.99.0.117");

    private ServePcBootScript ServeAt(TimeProvider clock)
    {
        var parts = new RecordingSessionParts();
        var metrics = TestMetrics.Create();
        var chap = new MachineChap(_machines, new InMemorySessions(null!), new DataProtectionSecrets(new EphemeralDataProtectionProvider()), new ChapDefaults(ChapPolicy.Off),
            new InMemoryAuditLog(), clock);
        var composer = new BootScriptComposer(parts, _boot, chap, new GivenLeases(), parts, new GivenNeighbours(), clock);
        return new ServePcBootScript(composer, _inputs, new NoFetchLog(), _boot, _notifier, metrics, new BootRetention(30, 30, 1000), clock);
    }

    private Task<string> AskAsync() => _serve.ExecuteAsync(Mac, Ipv4Address.Parse("10.99.0.50"), Firmware.Bios, CancellationToken.None);

    private sealed class NoFetchLog : IScriptFetchLog
    {
        public void Add(BootEvent fetched)
        {
        }
    }
}
