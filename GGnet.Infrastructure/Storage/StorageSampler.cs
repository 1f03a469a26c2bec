using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Processes;
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
    ILogger<StorageSampler> logger) : PeriodicCheck(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.SampleMinutes);

    protected override string Work => "Measuring the disk storage";

    protected override async Task PassAsync(CancellationToken cancellationToken)
    {
        history.Record(Clock.GetUtcNow().UtcDateTime, (await pool.UsageAsync(cancellationToken)).UsedPercent);
        await uploads.RemoveStaleUploadsAsync(TimeSpan.FromDays(1), cancellationToken);
    }
}
