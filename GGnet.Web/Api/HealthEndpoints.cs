using GGnet.Core.Health;

namespace GGnet.Web.Api;

public static class HealthEndpoints
{
    /// <summary>One part a boot needs, with its level (green, amber, red) and what to do.</summary>
    public sealed record ComponentHealthDto(string Component, string Level, string Sentence);

    public static void MapHealthEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/health/components", async (CheckHealth check, CancellationToken cancellationToken) =>
            (await check.ExecuteAsync(cancellationToken)).Select(p => new ComponentHealthDto(p.Component, p.Level.ToString().ToLowerInvariant(), p.Sentence)).ToList())
            .WithTags("Health").WithSummary("Each part a boot needs (DHCP, TFTP, iSCSI, storage, lab): green, amber or red, with a sentence.");
}
