namespace GGnet.Web.Api;

public static class ApiSetup
{
    /// <summary>REST API v1: every route needs a login or token, except issuing a token.</summary>
    public static IEndpointRouteBuilder MapGGnetApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter<DomainErrorFilter>().RequireAuthorization();
        api.MapAuthEndpoints();
        api.MapMachineEndpoints();
        api.MapChapEndpoints();
        api.MapGroupEndpoints();
        api.MapUserEndpoints();
        api.MapAuditEndpoints();
        api.MapDiscoveredEndpoints();
        api.MapSessionEndpoints();
        api.MapSettingsEndpoints();
        api.MapLabEndpoints();
        api.MapImageEndpoints();
        api.MapStorageEndpoints();
        api.MapNodeEndpoints();
        api.MapBulkEndpoints();
        api.MapScheduleEndpoints();
        api.MapHealthEndpoints();
        api.MapBackupEndpoints();
        api.MapWebhookEndpoints();
        return app;
    }

    public static string Actor(this HttpContext context) => context.User.Identity?.Name ?? "unknown";
}
