using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>The nightly clean-up of boot events and Discovered PCs, as a Hangfire recurring job.</summary>
public sealed class BootRetentionRunner(GGnet.Core.Boot.PruneBootRecords prune)
{
    public const string JobId = "boot-retention";

    [AutomaticRetry(Attempts = 2)]
    public Task RunAsync(CancellationToken cancellationToken) => prune.ExecuteAsync(cancellationToken);
}
