using GGnet.Core.Schedules;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>What a boot wave's job calls; a wave that failed (the database away a moment) is tried again, waking its PCs once more at worst.</summary>
public sealed class BootWaveRunner(WakeBootWave wake)
{
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 15, 30])]
    public async Task RunAsync(BootWavePlan plan, int wave, DateTime lastWokenAt, CancellationToken cancellationToken) =>
        await wake.ExecuteAsync(plan, wave, lastWokenAt, cancellationToken);
}
