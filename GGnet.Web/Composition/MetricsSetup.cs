using GGnet.Core.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GGnet.Web.Composition;

/// <summary>
/// Prometheus metrics at /metrics through OpenTelemetry: GGnet's own meter, ASP.NET Core's HTTP server metrics and the
/// .NET runtime's. Blazor's per-component histograms are left out: one set per component and event, they were three
/// quarters of a scrape and no dashboard reads them; so is Kestrel's memory pool, measured at every buffer rented and
/// returned (about 2% of GGnet's CPU under a boot storm) and read by no dashboard either. Each kept stream holds up to
/// <see cref="TagSetsPerStream"/> tag sets (OpenTelemetry's 2000 made an array of 144 KB for each of some fifty streams, 8 MiB
/// of GGnet's memory from start); tag sets beyond that are counted together under <c>otel_metric_overflow</c>. Who may read it: <see cref="Auth.MetricsReaderRequirement"/>.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    private const string MemoryPoolMeter = "Microsoft.AspNetCore.MemoryPool";

    // GGnet's own tags have a few values each; HTTP's are a route, a method and a status each.
    private const int TagSetsPerStream = 200;

    public static IServiceCollection AddGGnetMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ggnet"))
            .WithMetrics(metrics => metrics
                .AddMeter(GGnetMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddView(instrument => IsPerComponent(instrument.Meter.Name) || instrument.Meter.Name == MemoryPoolMeter
                    ? MetricStreamConfiguration.Drop
                    : new MetricStreamConfiguration { CardinalityLimit = TagSetsPerStream })
                .AddPrometheusExporter());
        return services;
    }

    // "Microsoft.AspNetCore.Components" and ".Lifecycle"; the circuits' meter (how many are open) stays.
    private static bool IsPerComponent(string meter) =>
        meter is "Microsoft.AspNetCore.Components" || meter.StartsWith("Microsoft.AspNetCore.Components.Lifecycle", StringComparison.Ordinal);

    /// <summary>The scrape endpoint, under <see cref="Auth.Policies.ReadMetrics"/>.</summary>
    public static void MapGGnetMetricsEndpoint(this WebApplication app) => app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(Auth.Policies.ReadMetrics);
}
