using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Notifications;
using GGnet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Boot;

public sealed class BootInputsTests : IDisposable
{
    private static readonly MacAddress Mac = MacAddress.Parse("52:54:00:aa:00:01");
    private readonly InMemoryMachineRepository _machines = new();
    private readonly InMemoryBootRepository _boot;
    private readonly InProcessStatusNotifier _notifier = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-28T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly BootInputs _inputs;
    private readonly Machine _machine;

    public BootInputsTests()
    {
        _boot = new InMemoryBootRepository(_machines);
        _inputs = new BootInputs(_boot, _notifier, _clock, new BootInputsCaching(true), Metrics());
        _machine = new Machine(new MachineDetails(Hostname.Parse("hall-01"), Mac, null, null, null, Firmware.Bios, null, true), _clock.GetUtcNow().UtcDateTime);
        _machines.AddAsync(_machine, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task SecondRequest_WithNoChangeBetween_IsAnsweredWithoutTheDatabase()
    {
        var first = await _inputs.FindAsync(Mac, CancellationToken.None);
        var second = await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, _boot.MachineReads);
    }

    [Fact]
    public async Task ChangeToTheMachine_IsReadAgain_WithItsNewTarget()
    {
        await _inputs.FindAsync(Mac, CancellationToken.None);
        _boot.Targets[_machine.Id] = Target(7);
        _notifier.MachineChanged(_machine.Id);

        var after = await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.Equal(7, after!.Target!.SessionId);
        Assert.Equal(2, _boot.MachineReads);
    }

    [Fact]
    public async Task ChangeToAnotherMachine_KeepsThisOne()
    {
        await _inputs.FindAsync(Mac, CancellationToken.None);
        _notifier.MachineChanged(_machine.Id + 100);

        await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.Equal(1, _boot.MachineReads);
    }

    [Fact]
    public async Task ObservationOfTheMachine_KeepsIt()
    {
        await _inputs.FindAsync(Mac, CancellationToken.None);
        _notifier.MachineObserved(_machine.Id);

        await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.Equal(1, _boot.MachineReads);
    }

    [Theory]
    [InlineData("image")]
    [InlineData("boot plane")]
    public async Task ChangeEveryScriptDependsOn_IsReadAgain(string change)
    {
        await _inputs.FindAsync(Mac, CancellationToken.None);
        if (change == "image")
        {
            _notifier.ImageChanged(3);
        }
        else
        {
            _notifier.BootPlaneChanged();
        }

        await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.Equal(2, _boot.MachineReads);
    }

    [Fact]
    public async Task ChangeAnnouncedDuringTheRead_IsNotHiddenByWhatThatReadGot()
    {
        _boot.BetweenReads = () =>
        {
            _boot.BetweenReads = null;
            _notifier.MachineChanged(_machine.Id);
            _boot.Targets[_machine.Id] = Target(9);
        };
        var raced = await _inputs.FindAsync(Mac, CancellationToken.None);

        var next = await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.NotNull(raced);
        Assert.Equal(9, next!.Target!.SessionId);
        Assert.Equal(2, _boot.MachineReads);
    }

    [Fact]
    public async Task ChangeFromAnotherNode_ThroughTheRelay_IsReadAgain()
    {
        await _inputs.FindAsync(Mac, CancellationToken.None);

        _notifier.Raise(StatusChange.Parse($"machine {_machine.Id}")!);
        await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.Equal(2, _boot.MachineReads);
    }

    [Fact]
    public async Task Entry_AgesOut_ForChangesNothingAnnounces()
    {
        await _inputs.FindAsync(Mac, CancellationToken.None);

        _clock.Advance(BootInputs.MaxAge);
        await _inputs.FindAsync(Mac, CancellationToken.None);

        Assert.Equal(2, _boot.MachineReads);
    }

    [Fact]
    public async Task UnknownMac_IsNotKept_SoTheMachineAddedLaterIsFound()
    {
        var unknown = MacAddress.Parse("52:54:00:aa:00:02");
        var before = await _inputs.FindAsync(unknown, CancellationToken.None);
        var added = new Machine(new MachineDetails(Hostname.Parse("hall-02"), unknown, null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
        await _machines.AddAsync(added, CancellationToken.None);

        var after = await _inputs.FindAsync(unknown, CancellationToken.None);

        Assert.Null(before);
        Assert.Equal(added.Id, after!.Machine.Id);
    }

    [Fact]
    public async Task WithoutHearingEveryChange_EveryRequestReads()
    {
        using var uncached = new BootInputs(_boot, _notifier, _clock, new BootInputsCaching(false), Metrics());

        await uncached.FindAsync(Mac, CancellationToken.None);
        await uncached.FindAsync(Mac, CancellationToken.None);

        Assert.Equal(2, _boot.MachineReads);
    }

    public void Dispose() => _inputs.Dispose();

    private static GGnet.Core.Telemetry.GGnetMetrics Metrics() => TestMetrics.Create();

    private static ActiveTarget Target(int sessionId) => new(sessionId, "win11 v1", Iqn.Parse($"iqn.2024-01.net.ggnet:session.{sessionId}"), 1);
}
