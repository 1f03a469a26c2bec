using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Tests.Support;

/// <summary>Storage at a set fill level (10% unless told otherwise), for component and use-case tests.</summary>
public sealed class RoomyStoragePool : IStoragePool
{
    public double UsedPercent { get; set; } = 10;

    public Task<StorageUsage> UsageAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new StorageUsage("/srv/ggnet/disks", (long)(UsedPercent / 100 * (100L << 30)), (long)((100 - UsedPercent) / 100 * (100L << 30)), 80, 90));

    public CloneStrategyChoice Strategy { get; set; } = new(CloneStrategy.Reflink, "XFS with reflink: instant clones.");

    public Task<CloneStrategyChoice> StrategyAsync(CancellationToken cancellationToken) => Task.FromResult(Strategy);
}
