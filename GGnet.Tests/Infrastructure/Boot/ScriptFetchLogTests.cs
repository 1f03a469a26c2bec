using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Infrastructure.Boot;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Infrastructure.Boot;

/// <summary>How the one writer of script fetches saves them: at once for a PC alone, gathered during a storm.</summary>
public sealed class ScriptFetchLogTests : IAsyncLifetime
{
    private readonly InMemoryMachineRepository _machines = new();
    private readonly InMemoryBootRepository _boot;
    private readonly RecordingStatusNotifier _notifier = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-04T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ScriptFetchLog _log;
    private Machine _first = default!;
    private Machine _second = default!;

    public ScriptFetchLogTests()
    {
        _boot = new InMemoryBootRepository(_machines);
        _log = new ScriptFetchLog(_boot, _notifier, _clock, NullLogger<ScriptFetchLog>.Instance);
    }

    public async Task InitializeAsync()
    {
        _first = await AddAsync("hall-01", "52:54:00:bb:00:01");
        _second = await AddAsync("hall-02", "52:54:00:bb:00:02");
    }

    public async Task DisposeAsync()
    {
        await _log.StopAsync(CancellationToken.None);
        _log.Dispose();
    }

    [Fact]
    public async Task AFetchAlone_IsSavedAtOnce_AndItsPcAnnounced()
    {
        await _log.StartAsync(CancellationToken.None);

        _log.Add(Fetch(_first));

        await UntilObservedAsync(_first);
        Assert.Equal(BootStage.ScriptFetched, _first.BootStage);
        Assert.DoesNotContain(_second.Id, Observed());
    }

    [Fact]
    public async Task AfterAStormsBatch_TheNextFetchesGather_UntilTheGatherTimeHasPassed()
    {
        await StartWithAStormsBatchAsync();

        _log.Add(Fetch(_second));
        // Real time passes, GGnet's clock does not: the writer is still gathering.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.DoesNotContain(_second.Id, Observed());
        Assert.Equal(BootStage.Idle, _second.BootStage);

        _clock.Advance(ScriptFetchLog.GatherTime);
        await UntilObservedAsync(_second);
        Assert.Equal(BootStage.ScriptFetched, _second.BootStage);
    }

    [Fact]
    public async Task FetchesStillWaitingAtShutdown_AreSaved()
    {
        await StartWithAStormsBatchAsync();
        _log.Add(Fetch(_second));

        await _log.StopAsync(CancellationToken.None);

        Assert.Contains(_second.Id, Observed());
    }

    [Fact]
    public async Task MoreWaitingThanOneSaveTakes_IsSavedInBatchesOfAtMostMaxBatch_EveryFetchOnceAndInOrder()
    {
        var fetches = Enumerable.Range(0, ScriptFetchLog.MaxBatch + 10).Select(i => Fetch(i % 2 == 0 ? _first : _second)).ToList();
        foreach (var fetch in fetches)
        {
            _log.Add(fetch);
        }

        await _log.StartAsync(CancellationToken.None);

        // A full batch is followed at once by the next, without gathering: GGnet's clock does not move here.
        for (var waited = 0; Batches().Sum(b => b.Length) < fetches.Count; waited += 10)
        {
            Assert.True(waited < 10_000, $"{Batches().Sum(b => b.Length)} of {fetches.Count} fetches were saved");
            await Task.Delay(10);
        }
        Assert.Equal([ScriptFetchLog.MaxBatch, 10], Batches().Select(b => b.Length));
        Assert.Equal(fetches, Batches().SelectMany(b => b), ReferenceEqualityComparer.Instance);
    }

    private List<BootEvent[]> Batches()
    {
        lock (_boot.FetchBatches)
        {
            return [.. _boot.FetchBatches];
        }
    }

    // The first PC asks as often as a storm's batch: the writer saves them together, then gathers.
    private async Task StartWithAStormsBatchAsync()
    {
        for (var i = 0; i < ScriptFetchLog.StormBatch; i++)
        {
            _log.Add(Fetch(_first));
        }
        await _log.StartAsync(CancellationToken.None);
        await UntilObservedAsync(_first);
    }

    private BootEvent Fetch(Machine machine) => new(machine.Id, machine.MacAddress, BootEventKind.ScriptFetchedHttp, null, _clock.GetUtcNow().UtcDateTime);

    private List<int> Observed()
    {
        lock (_notifier.MachinesObserved)
        {
            return [.. _notifier.MachinesObserved];
        }
    }

    private async Task UntilObservedAsync(Machine machine)
    {
        for (var waited = 0; !Observed().Contains(machine.Id); waited += 10)
        {
            Assert.True(waited < 10_000, $"{machine.Name} was never announced");
            await Task.Delay(10);
        }
    }

    private async Task<Machine> AddAsync(string name, string mac)
    {
        var machine = new Machine(new MachineDetails(Hostname.Parse(name), MacAddress.Parse(mac), null, null, null, Firmware.Bios, null, true), _clock.GetUtcNow().UtcDateTime);
        await _machines.AddAsync(machine, CancellationToken.None);
        return machine;
    }
}
