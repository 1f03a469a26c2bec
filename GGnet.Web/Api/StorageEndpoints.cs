using GGnet.Core.Ports;

namespace GGnet.Web.Api;

public static class StorageEndpoints
{
    public static void MapStorageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/storage", async (IStoragePool pool, CancellationToken cancellationToken) =>
        {
            var usage = await pool.UsageAsync(cancellationToken);
            var strategy = await pool.StrategyAsync(cancellationToken);
            return new
            {
                folder = usage.Folder,
                usedBytes = usage.UsedBytes,
                freeBytes = usage.FreeBytes,
                usedPercent = Math.Round(usage.UsedPercent, 1),
                warnAbovePercent = usage.WarnAbovePercent,
                refuseAbovePercent = usage.RefuseAbovePercent,
                refusesNewSessions = usage.RefusesNewSessions,
                sentence = usage.Sentence,
                cloneStrategy = strategy.Label,
                cloneStrategyReason = strategy.Reason,
            };
        }).WithTags("Storage").WithSummary("The session disk storage: fill level and limits, and how session disks are made there (and why).");
    }
}
