using GGnet.Core.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GGnet.Web.Composition;

/// <summary>
/// The parts a boot needs (DHCP, TFTP, iSCSI, storage, jobs, lab) as one readiness check: red is Unhealthy, amber Degraded.
/// Another node being down makes this node Degraded, never Unhealthy: a load balancer must keep sending browsers to the nodes that work.
/// </summary>
public sealed class ComponentsHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var parts = (await scope.ServiceProvider.GetRequiredService<CheckHealth>().ExecuteAsync(cancellationToken))
            .Select(p => p is { Component: "Nodes", Level: HealthLevel.Red } ? p with { Level = HealthLevel.Amber } : p).ToList();
        var data = parts.ToDictionary(p => p.Component, p => (object)$"{p.Level.ToString().ToLowerInvariant()}: {p.Sentence}");
        var worst = parts.Count == 0 ? HealthLevel.Green : parts.Max(p => p.Level);
        var summary = string.Join(" ", parts.Where(p => p.Level == worst && worst != HealthLevel.Green).Select(p => $"{p.Component}: {p.Sentence}"));
        return worst switch
        {
            HealthLevel.Red => HealthCheckResult.Unhealthy(summary, data: data),
            HealthLevel.Amber => HealthCheckResult.Degraded(summary, data: data),
            _ => HealthCheckResult.Healthy("Every part a boot needs works.", data),
        };
    }
}
