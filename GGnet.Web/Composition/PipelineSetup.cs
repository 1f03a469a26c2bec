using Hangfire;
using GGnet.Web.Api;
using GGnet.Web.Components;
using GGnet.Web.Https;

namespace GGnet.Web.Composition;

public static class PipelineSetup
{
    public static WebApplication UseGGnetPipeline(this WebApplication app)
    {
        // Routing comes first (the boot endpoints end there); every request after it logs under its path and is one
        // sign-in may work for.
        RequestLogScope.Use(app);
        Auth.SignInRequests.Use(app);
        app.UseSecurityHeaders();
        app.UseGGnetHttps();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        // Before authentication: checking an API token already reads the database.
        app.UseMiddleware<DatabaseOutageResponses>();
        app.UseCookieRequestGuard();
        // Friendly pages for people; API clients keep the bare status code and problem details.
        app.UseWhen(context => IsPage(context.Request), pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapGGnetHealth();
        app.MapGGnetMetricsEndpoint();
        app.MapOpenApi();
        app.MapGGnetApi();
        app.MapBootEndpoints();
        app.MapHub<GGnet.Web.Hubs.StatusHub>(GGnet.Web.Hubs.StatusHub.Path).RequireAuthorization();
        app.MapHangfireDashboard("/hangfire", new Hangfire.DashboardOptions { Authorization = [], AsyncAuthorization = [], DisplayStorageConnectionString = false })
            .RequireAuthorization(Auth.Policies.AdminOnly);
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>A request for a page a person reads, not for the API, the boot files, the job dashboard or a hub.</summary>
    public static bool IsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/openapi") && !request.Path.StartsWithSegments("/boot")
        && !request.Path.StartsWithSegments("/hangfire") && !request.Path.StartsWithSegments("/hubs");
}
