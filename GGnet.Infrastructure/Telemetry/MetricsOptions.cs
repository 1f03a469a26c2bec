using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Telemetry;

/// <summary>Where the exported metrics come from and how often the gauges are read. Section <c>Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>How often sessions by state and the storage fill level are read for the gauges.</summary>
    [Range(1, 3600)]
    public int SampleSeconds { get; set; } = 10;

    /// <summary>Let anyone read /metrics (only when the port is firewalled to the monitoring host); otherwise loopback or a logged-in user.</summary>
    public bool AllowAnonymous { get; set; }
}
