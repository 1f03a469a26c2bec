using GGnet.Core.Images;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.TestBoots;

/// <summary>Runs <see cref="WatchCanaries"/> as GGnet starts (a canary left by a restart is judged at once) and then every
/// <c>TestBoot:CanaryCheckSeconds</c>: a canary whose PC does not boot it is rolled back within that.</summary>
public sealed class CanaryWatch(IServiceScopeFactory scopes, IOptions<TestBootOptions> options, TimeProvider clock, ILogger<CanaryWatch> logger)
    : PeriodicCheck(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.CanaryCheckSeconds);

    protected override string Work => "Watching canaries";

    protected override async Task PassAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WatchCanaries>().ExecuteAsync(cancellationToken);
    }
}
