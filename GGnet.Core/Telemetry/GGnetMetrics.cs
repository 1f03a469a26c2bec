using System.Diagnostics.Metrics;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Telemetry;

/// <summary>
/// What GGnet measures about its own work, as .NET metrics (the "GGnet" meter), exported for Prometheus at /metrics:
/// how long session starts and stops take, how long each boot stage takes, boot-script requests, DHCP restarts and
/// rejected configurations, and failed jobs. Gauges (sessions by state, storage) are sampled by the outer layer.
/// </summary>
public sealed class GGnetMetrics
{
    public const string MeterName = "GGnet";

    // Boxed once: a hall booting asks thousands of times a second.
    private static readonly object Known = true;
    private static readonly object Unknown = false;

    private readonly Histogram<double> _sessionStart;
    private readonly Histogram<double> _sessionStop;
    private readonly Histogram<double> _bootStage;
    private readonly Counter<long> _scriptRequests;
    private readonly Counter<long> _dhcpRestarts;
    private readonly Counter<long> _dhcpRejections;
    private readonly Counter<long> _jobFailures;
    private readonly Counter<long> _bootInputReads;

    public GGnetMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _sessionStart = Seconds("ggnet.session.start.duration", "From a session's start request to Ready (disk, target, script, DHCP).");
        _sessionStop = Seconds("ggnet.session.stop.duration", "From a session's stop request to Stopped.");
        _bootStage = Seconds("ggnet.boot.stage.duration", "How long a PC spent in a boot stage before the next one was observed.");
        _scriptRequests = Meter.CreateCounter<long>("ggnet.boot.script.requests", description: "PCs' requests for their iPXE script.");
        _dhcpRestarts = Meter.CreateCounter<long>("ggnet.dhcp.restarts", description: "Restarts of the DHCP daemon after a new configuration.");
        _dhcpRejections = Meter.CreateCounter<long>("ggnet.dhcp.validation.failures", description: "New DHCP configurations the daemon's own check refused (the old one stayed).");
        _jobFailures = Meter.CreateCounter<long>("ggnet.jobs.failures", description: "Background jobs that failed (each attempt).");
        _bootInputReads = Meter.CreateCounter<long>("ggnet.boot.script.inputs",
            description: "Where a known PC's script request found its machine and target: kept in memory, or read from the database.");
    }

    // From a fast provisioning step (tens of ms) to a slow boot (minutes).
    private static readonly double[] SecondsBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private Histogram<double> Seconds(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>The meter, for the gauges the outer layer samples.</summary>
    public Meter Meter { get; }

    public void SessionStarted(TimeSpan took) => _sessionStart.Record(took.TotalSeconds);

    public void SessionStopped(TimeSpan took) => _sessionStop.Record(took.TotalSeconds);

    public void BootStageLeft(BootStage stage, TimeSpan spent) =>
        _bootStage.Record(spent.TotalSeconds, new KeyValuePair<string, object?>("stage", stage.ToString()));

    public void ScriptRequested(string transport, bool knownPc) =>
        _scriptRequests.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("known", knownPc ? Known : Unknown));

    public void BootInputsRead(bool fromMemory) =>
        _bootInputReads.Add(1, new KeyValuePair<string, object?>("source", fromMemory ? "memory" : "database"));

    public void DhcpRestarted(bool succeeded) => _dhcpRestarts.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "failed"));

    public void DhcpRejected() => _dhcpRejections.Add(1);

    public void JobFailed(string job) => _jobFailures.Add(1, new KeyValuePair<string, object?>("background_job", job));
}
