using System.Diagnostics.Metrics;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Telemetry;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Telemetry;

/// <summary>
/// Reads the gauges every few seconds (sessions by state, the session-disk storage) so that a scrape never waits on
/// the database or the disk: <c>ggnet.sessions</c>, <c>ggnet.storage.used</c>, <c>ggnet.storage.capacity</c>.
/// </summary>
public sealed class MetricsSampler(GGnetMetrics metrics, ISessionRepository sessions, IStoragePool storage, IOptions<MetricsOptions> options, TimeProvider clock,
    ILogger<MetricsSampler> logger) : PeriodicCheck(clock, logger)
{
    private volatile IReadOnlyDictionary<SessionState, int> _byState = new Dictionary<SessionState, int>();
    private long _usedBytes;
    private long _capacityBytes;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Meter.CreateObservableGauge("ggnet.sessions", () => Enum.GetValues<SessionState>()
            .Select(state => new Measurement<int>(_byState.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()))),
            description: "Sessions by state.");
        metrics.Meter.CreateObservableGauge("ggnet.storage.used", () => Interlocked.Read(ref _usedBytes), "By", "Bytes used on the session-disk storage.");
        metrics.Meter.CreateObservableGauge("ggnet.storage.capacity", () => Interlocked.Read(ref _capacityBytes), "By", "Size of the session-disk storage.");
        return base.StartAsync(cancellationToken);
    }

    protected override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(1, options.Value.SampleSeconds));

    protected override string Work => "Reading the metrics gauges";

    // While the database is away the gauges keep their last values.
    protected override async Task PassAsync(CancellationToken cancellationToken)
    {
        _byState = await sessions.CountByStateAsync(cancellationToken);
        var usage = await storage.UsageAsync(cancellationToken);
        Interlocked.Exchange(ref _usedBytes, usage.UsedBytes);
        Interlocked.Exchange(ref _capacityBytes, usage.TotalBytes);
    }
}
