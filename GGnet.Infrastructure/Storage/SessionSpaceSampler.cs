using GGnet.Core.Storage;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>Measures what running sessions wrote (<see cref="MeasureSessionSpace"/>) as GGnet starts, so the pages show it at once,
/// and then every <c>Storage:SessionSpaceSeconds</c>.</summary>
public sealed class SessionSpaceSampler(IServiceScopeFactory scopes, IOptions<StorageOptions> options, TimeProvider clock, ILogger<SessionSpaceSampler> logger)
    : PeriodicCheck(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SessionSpaceSeconds);

    protected override string Work => "Measuring what sessions wrote";

    protected override async Task PassAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MeasureSessionSpace>().ExecuteAsync(cancellationToken);
    }
}
