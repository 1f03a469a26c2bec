using GGnet.Core.Health;

namespace GGnet.Web.Api;

public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/health/components", async (CheckHealth check, CancellationToken cancellationToken) =>
            (await check.ExecuteAsync(cancellationToken)).Select(p => new { component = p.Component, level = p.Level.ToString().ToLowerInvariant(), sentence = p.Sentence }).ToList())
            .WithTags("Health").WithSummary("Each part a boot needs (DHCP, TFTP, iSCSI, storage, lab): green, amber or red, with a sentence.");
}
