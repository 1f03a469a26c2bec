using GGnet.Core.Images;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.TestBoots;

/// <summary>Runs <see cref="WatchCanaries"/> as GGnet starts (a canary left by a restart is judged at once) and then every
/// <c>TestBoot:CanaryCheckSeconds</c>: a canary whose PC does not boot it is rolled back within that.</summary>
public sealed class CanaryWatch(IServiceScopeFactory scopes, IOptions<TestBootOptions> options, TimeProvider clock, ILogger<CanaryWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CanaryCheckSeconds), clock);
        string? lastProblem = null;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<WatchCanaries>().ExecuteAsync(stoppingToken);
                lastProblem = null;
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                // The next tick tries again; the same problem is logged once.
                if (problem.Message != lastProblem)
                {
                    logger.LogWarning("Watching canaries failed: {Reason}", problem.Message);
                    lastProblem = problem.Message;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
