using GGnet.Core.Storage;

namespace GGnet.Core.Ports;

/// <summary>The storage that holds session disks and image versions.</summary>
public interface IStoragePool
{
    Task<StorageUsage> UsageAsync(CancellationToken cancellationToken);

    /// <summary>How session disks are made on this storage (detected, or as configured), and why.</summary>
    Task<CloneStrategyChoice> StrategyAsync(CancellationToken cancellationToken);
}
