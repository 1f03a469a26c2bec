using GGnet.Core.Ports;
using GGnet.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>Samples the disk storage's fill level at start and then every <c>Storage:SampleMinutes</c>.</summary>
/// <remarks>Each round also removes uploads that stopped half-way and were untouched for an hour.</remarks>
public sealed class StorageSampler(
    IStoragePool pool,
    StorageHistory history,
    IUploadReceiver uploads,
    IOptions<StorageOptions> options,
    TimeProvider clock,
    ILogger<StorageSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.SampleMinutes), clock);
        do
        {
            try
            {
                history.Record(clock.GetUtcNow().UtcDateTime, (await pool.UsageAsync(stoppingToken)).UsedPercent);
                await uploads.RemoveStaleUploadsAsync(TimeSpan.FromDays(1), stoppingToken);
            }
            catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Could not measure the disk storage: {Reason}", problem.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
