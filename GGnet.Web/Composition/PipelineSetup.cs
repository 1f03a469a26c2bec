using Hangfire;
using GGnet.Web.Api;
using GGnet.Web.Components;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace GGnet.Web.Composition;

public static class PipelineSetup
{
    public static WebApplication UseGGnetPipeline(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        // Friendly pages for people; API clients keep the bare status code and problem details.
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/openapi")
                && !context.Request.Path.StartsWithSegments("/boot") && !context.Request.Path.StartsWithSegments("/hangfire") && !context.Request.Path.StartsWithSegments("/hubs"),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health", new HealthCheckOptions()).AllowAnonymous();
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
}
