using GGnet.Core.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Composition;

/// <summary>
/// The parts a boot needs (DHCP, TFTP, iSCSI, storage, jobs, lab) as one readiness check: red is Unhealthy, amber Degraded.
/// Another node being down makes this node Degraded, never Unhealthy: a load balancer must keep sending browsers to the nodes that work.
/// /health/ready is anonymous and each check asks tgtd and tftpd, so one answer serves every caller for
/// <see cref="HealthOptions.ReadyCacheSeconds"/>, and callers arriving meanwhile wait for the one check under way.
/// </summary>
public sealed class ComponentsHealthCheck(IServiceScopeFactory scopes, IOptions<HealthOptions> options, TimeProvider clock) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (_last is { } last && now - last.At < TimeSpan.FromSeconds(options.Value.ReadyCacheSeconds))
            {
                return last.Result;
            }
            var result = await CheckNowAsync(cancellationToken);
            _last = (result, clock.GetUtcNow());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> CheckNowAsync(CancellationToken cancellationToken)
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

    public void Dispose() => _gate.Dispose();
}
