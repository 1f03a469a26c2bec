using GGnet.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

/// <summary>Polls leases and iSCSI logins every few seconds and lets <see cref="ObserveBoots"/> move boot stages.</summary>
public sealed class BootObserverService(IServiceScopeFactory scopes, IOptions<BootOptions> options, BootObservationMemory memory, TimeProvider clock, ILogger<BootObserverService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        memory.OfflineAfter = TimeSpan.FromSeconds(options.Value.OfflineAfterSeconds);
        // dhcpd writes lease times in whole seconds.
        memory.Since = clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ObserveMilliseconds), clock);
        string? lastProblem = null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ObserveBoots>().ExecuteAsync(stoppingToken);
                lastProblem = null;
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                // The next tick tries again; the same problem is logged once, not every few seconds.
                if (problem.Message != lastProblem)
                {
                    logger.LogWarning("Observing boots failed: {Reason}", problem.Message);
                    lastProblem = problem.Message;
                }
            }
        }
    }
}
