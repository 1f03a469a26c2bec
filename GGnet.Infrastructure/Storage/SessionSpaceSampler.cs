using GGnet.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>Measures what running sessions wrote (<see cref="MeasureSessionSpace"/>) as GGnet starts, so the pages show it at once,
/// and then every <c>Storage:SessionSpaceSeconds</c>.</summary>
public sealed class SessionSpaceSampler(IServiceScopeFactory scopes, IOptions<StorageOptions> options, TimeProvider clock, ILogger<SessionSpaceSampler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SessionSpaceSeconds), clock);
        string? lastProblem = null;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<MeasureSessionSpace>().ExecuteAsync(stoppingToken);
                lastProblem = null;
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                // The next tick tries again; the same problem is logged once.
                if (problem.Message != lastProblem)
                {
                    logger.LogWarning("Measuring what sessions wrote failed: {Reason}", problem.Message);
                    lastProblem = problem.Message;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
