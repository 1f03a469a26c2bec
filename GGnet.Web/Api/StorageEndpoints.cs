using GGnet.Core.Ports;

namespace GGnet.Web.Api;

public static class StorageEndpoints
{
    /// <summary>The session disk storage: fill level and limits, and how session disks are made there (and why).</summary>
    public sealed record StorageDto(string Folder, long UsedBytes, long FreeBytes, double UsedPercent, int WarnAbovePercent, int RefuseAbovePercent,
        bool RefusesNewSessions, string Sentence, string CloneStrategy, string CloneStrategyReason);

    public static void MapStorageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/storage", async (IStoragePool pool, CancellationToken cancellationToken) =>
        {
            var usage = await pool.UsageAsync(cancellationToken);
            var strategy = await pool.StrategyAsync(cancellationToken);
            return new StorageDto(usage.Folder, usage.UsedBytes, usage.FreeBytes, Math.Round(usage.UsedPercent, 1), usage.WarnAbovePercent, usage.RefuseAbovePercent,
                usage.RefusesNewSessions, usage.Sentence, strategy.Label, strategy.Reason);
        }).WithTags("Storage").WithSummary("The session disk storage: fill level and limits, and how session disks are made there (and why).");
    }
}
