using GGnet.Core.Boot;
using GGnet.Core.Ports;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class SettingsEndpoints
{
    public sealed record NetworkStatusDto(NetworkSettingsInput Settings, bool Configured, IReadOnlyList<string> Problems, string? LastDhcpResult, string? LastDhcpRejection);

    public static void MapSettingsEndpoints(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings").RequireAuthorization(Policies.AdminOnly);

        settings.MapGet("/network", (INetworkSettingsStore store, IBootNetwork network, BootPlaneStatus status) =>
            new NetworkStatusDto(store.Current, network.Settings is not null, network.Problems, status.LastDhcp?.Message, status.LastDhcpRejection?.Message));

        settings.MapPut("/network", async (NetworkSettingsInput input, SaveNetworkSettings save, HttpContext context, CancellationToken cancellationToken) =>
        {
            await save.ExecuteAsync(input, context.Actor(), cancellationToken);
            return Results.NoContent();
        });
    }
}
