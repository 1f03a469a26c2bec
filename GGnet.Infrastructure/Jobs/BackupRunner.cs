using GGnet.Core.Backups;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>The nightly backup, as a Hangfire recurring job.</summary>
public sealed class BackupRunner(BackUp backUp)
{
    public const string JobId = "backup-nightly";

    public const string Actor = "schedule:backup";

    [AutomaticRetry(Attempts = 2)]
    public Task RunAsync(CancellationToken cancellationToken) => backUp.ExecuteAsync(Actor, cancellationToken);
}
