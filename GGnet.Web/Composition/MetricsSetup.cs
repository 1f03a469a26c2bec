using GGnet.Core.Telemetry;
using GGnet.Infrastructure.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GGnet.Web.Composition;

/// <summary>
/// Prometheus metrics at /metrics through OpenTelemetry: GGnet's own meter, ASP.NET Core's HTTP server metrics and the
/// .NET runtime's. Who may read it: <see cref="Auth.MetricsReaderRequirement"/>.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static IServiceCollection AddGGnetMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ggnet"))
            .WithMetrics(metrics => metrics
                .AddMeter(GGnetMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>The scrape endpoint, under <see cref="Auth.Policies.ReadMetrics"/>.</summary>
    public static void MapGGnetMetricsEndpoint(this WebApplication app) => app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(Auth.Policies.ReadMetrics);
}
