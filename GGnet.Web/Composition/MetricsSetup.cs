using System.Net;
using GGnet.Core.Telemetry;
using GGnet.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GGnet.Web.Composition;

/// <summary>
/// Prometheus metrics at /metrics through OpenTelemetry: GGnet's own meter, ASP.NET Core's HTTP server metrics and the
/// .NET runtime's. Readable from the server itself (loopback), by a logged-in user or API token, or by anyone when
/// Metrics:AllowAnonymous is set (for a port firewalled to the monitoring host).
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

    public static void GuardMetrics(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.Equals(Path, StringComparison.Ordinal), metrics => metrics.Use(async (context, next) =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value;
            var remote = context.Connection.RemoteIpAddress;
            if (options.AllowAnonymous || (remote is not null && IPAddress.IsLoopback(remote)) || context.User.Identity?.IsAuthenticated == true)
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("Metrics are readable from this server itself, with an API token (Authorization: Bearer), or by anyone when Metrics:AllowAnonymous is set.");
        }));
    }

    public static void MapGGnetMetricsEndpoint(this WebApplication app) => app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous();
}
