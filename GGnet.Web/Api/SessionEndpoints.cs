using GGnet.Core.Boot;

namespace GGnet.Web.Api;

public static class SessionEndpoints
{
    public static void MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags("Sessions");

        sessions.MapGet("/machine/{machineId:int}/boot-script", async (int machineId, GetMachineBootScript get, CancellationToken cancellationToken) =>
            Results.Text(await get.ExecuteAsync(machineId, cancellationToken), "text/plain; charset=utf-8"))
            .WithSummary("The iPXE script this machine gets if it boots now.");
    }
}
