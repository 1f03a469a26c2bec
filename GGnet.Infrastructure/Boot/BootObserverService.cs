using GGnet.Core.Sessions;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

/// <summary>Polls leases and iSCSI logins every few seconds and lets <see cref="ObserveBoots"/> move boot stages.</summary>
public sealed class BootObserverService(IServiceScopeFactory scopes, IOptions<BootOptions> options, BootObservationMemory memory, TimeProvider clock, ILogger<BootObserverService> logger)
    : PeriodicCheck(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.ObserveMilliseconds);

    protected override bool FirstPassAtStart => false;

    protected override string Work => "Observing boots";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        memory.OfflineAfter = TimeSpan.FromSeconds(options.Value.OfflineAfterSeconds);
        // dhcpd writes lease times in whole seconds.
        memory.Since = Clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task PassAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ObserveBoots>().ExecuteAsync(cancellationToken);
    }
}
