using GGnet.Core.Audit;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>The nightly audit clean-up, as a Hangfire recurring job.</summary>
public sealed class AuditRetentionRunner(PruneAuditEvents prune)
{
    public const string JobId = "audit-retention";

    [AutomaticRetry(Attempts = 2)]
    public Task RunAsync(CancellationToken cancellationToken) => prune.ExecuteAsync(cancellationToken);
}
