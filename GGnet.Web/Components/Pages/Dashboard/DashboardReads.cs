using System.Collections.Concurrent;
using GGnet.Core.Audit;
using GGnet.Core.Common;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Web.Components.Pages.Dashboard;

/// <summary>Which tiles a dashboard shows: the page, the group and the stage filter ("all", "online", "booting", "offline", "idle").</summary>
public sealed record DashboardFilter(int Page, int? GroupId, string Stage);

/// <summary>Everything a dashboard shows for one filter, as read at one moment.</summary>
public sealed record DashboardData(
    MachineCounts Counts,
    IReadOnlyList<MachineGroup> Groups,
    IReadOnlyList<Machine> Tiles,
    int TilePages,
    IReadOnlyDictionary<int, Session> Sessions,
    IReadOnlyDictionary<int, Ipv4Address> Addresses,
    IReadOnlyDictionary<int, string> ImageLabels,
    IReadOnlySet<int> FirmwareOnlyVersions,
    IReadOnlyList<Session> Failures,
    int FailedToday,
    IReadOnlyList<BootEvent> BootEvents,
    IReadOnlyDictionary<int, string> Names,
    IReadOnlyList<AuditEvent> Recent,
    DateTime ReadAt);

/// <summary>
/// What open dashboards read, read once for all of them: ten people watching the same hall cost one set of queries per
/// change, not ten. What is kept is dropped at the next announced change (a machine, an image, a discovered PC, the boot
/// plane); the boot-time chart, which reads hours of sessions, is read at most every 10 s.
/// </summary>
public sealed class DashboardReads : IDisposable
{
    public const int TileCount = 60;
    public const int ChartHours = 12;
    private static readonly TimeSpan ChartEvery = TimeSpan.FromSeconds(10);

    private readonly IServiceScopeFactory _scopes;
    private readonly IStatusEvents _events;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<DashboardFilter, Lazy<Task<DashboardData>>> _kept = new();
    private readonly Lock _chartGate = new();
    private (Task<BootDurationChart> Chart, DateTime At)? _chart;

    public DashboardReads(IServiceScopeFactory scopes, IStatusEvents events, TimeProvider clock)
    {
        _scopes = scopes;
        _events = events;
        _clock = clock;
        _events.MachineUpdated += MachineChanged;
        _events.ImageUpdated += MachineChanged;
        _events.DiscoveredUpdated += Changed;
        _events.BootPlaneUpdated += Changed;
    }

    /// <summary>The tiles' stages for a stage filter; null: every stage.</summary>
    public static IReadOnlyList<BootStage>? StagesOf(string filter) => filter switch
    {
        "online" => [BootStage.Online],
        "booting" => [BootStage.DhcpLease, BootStage.ScriptFetched, BootStage.DiskAttached],
        "offline" => [BootStage.Offline, BootStage.AttachFailed],
        "idle" => [BootStage.Idle],
        _ => null,
    };

    public async Task<DashboardData> ReadAsync(DashboardFilter filter)
    {
        var kept = _kept.GetOrAdd(filter, f => new Lazy<Task<DashboardData>>(() => LoadAsync(f)));
        try
        {
            return await kept.Value;
        }
        catch
        {
            // A failed read is not kept: the next dashboard to ask reads again.
            _kept.TryRemove(new KeyValuePair<DashboardFilter, Lazy<Task<DashboardData>>>(filter, kept));
            throw;
        }
    }

    /// <summary>The boot-time chart, read again when the kept one is older than 10 s.</summary>
    public Task<BootDurationChart> BootTimesAsync()
    {
        lock (_chartGate)
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            if (_chart is not { } chart || now - chart.At > ChartEvery || chart.Chart.IsFaulted)
            {
                _chart = chart = (ChartAsync(), now);
            }
            return chart.Chart;
        }
    }

    public void Dispose()
    {
        _events.MachineUpdated -= MachineChanged;
        _events.ImageUpdated -= MachineChanged;
        _events.DiscoveredUpdated -= Changed;
        _events.BootPlaneUpdated -= Changed;
    }

    private void MachineChanged(int id) => Changed();

    private void Changed() => _kept.Clear();

    private async Task<BootDurationChart> ChartAsync()
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ListSessions>().BootDurationsAsync(ChartHours, CancellationToken.None);
    }

    private async Task<DashboardData> LoadAsync(DashboardFilter filter)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var listSessions = services.GetRequiredService<ListSessions>();
        var boot = services.GetRequiredService<IBootRepository>();
        var none = CancellationToken.None;

        var counts = await services.GetRequiredService<CountMachines>().ExecuteAsync(none);
        var groups = await services.GetRequiredService<IMachineGroupRepository>().ListAsync(none);
        var tiles = await services.GetRequiredService<ListMachines>().ExecuteAsync(
            new MachineQuery(new PageRequest(filter.Page, TileCount), GroupId: filter.GroupId, Stages: StagesOf(filter.Stage)), none);
        var sessions = await listSessions.ActiveByMachineAsync(none);
        var addresses = await boot.ListLeasedAddressesAsync(tiles.Items.Where(m => m.IpAddress is null).Select(m => m.Id).ToList(), none);
        var labels = new Dictionary<int, string>();
        var firmwareOnly = new HashSet<int>();
        foreach (var versionId in tiles.Items.Select(m => sessions.GetValueOrDefault(m.Id)?.ImageVersionId).OfType<int>().Distinct())
        {
            var shown = await listSessions.VersionShownAsync(versionId, none);
            labels[versionId] = shown.Label;
            if (shown.FirmwareOnly)
            {
                firmwareOnly.Add(versionId);
            }
        }
        var now = _clock.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-24);
        var failures = (await listSessions.ExecuteAsync(new SessionQuery(new PageRequest(1, 50), EndedBadly: true, UpdatedSince: since), none)).Items
            .OrderByDescending(f => f.UpdatedAt).ToList();
        var failedToday = (await listSessions.ExecuteAsync(new SessionQuery(new PageRequest(1, 1), SessionState.Failed, UpdatedSince: since), none)).TotalCount;
        var bootEvents = await boot.ListRecentBootEventsAsync(12, none);
        var names = tiles.Items.ToDictionary(m => m.Id, m => m.Name.Value);
        var machines = services.GetRequiredService<IMachineRepository>();
        foreach (var id in bootEvents.Select(e => e.MachineId!.Value).Concat(failures.Select(f => f.MachineId)).Distinct().Where(id => !names.ContainsKey(id)))
        {
            if (await machines.FindAsync(id, none) is { } machine)
            {
                names[id] = machine.Name.Value;
            }
        }
        var recent = (await services.GetRequiredService<ListAuditEvents>().ExecuteAsync(new AuditQuery(new PageRequest(1, 10)), none)).Items;
        return new DashboardData(counts, groups, tiles.Items, Math.Max(1, (tiles.TotalCount + TileCount - 1) / TileCount), sessions, addresses, labels, firmwareOnly,
            failures.Take(6).ToList(), failedToday, bootEvents, names, recent, now);
    }
}
