namespace GGnet.Web.Composition;

/// <summary>
/// Headers on every answer that keep a browser from being turned against GGnet: no content-type guessing, no framing
/// (clickjacking), no referrer to other sites, and on pages a content policy that loads scripts, styles and connections
/// only from GGnet itself. (Blazor's import map and MudBlazor's inline styles need 'unsafe-inline'.)
/// </summary>
public static class SecurityHeaders
{
    public const string PagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // Set as the answer starts, so they win over what later parts add (antiforgery sends its own, laxer frame option).
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // The job dashboard brings its own inline scripts; the boot files and the API are no pages.
            if (!context.Request.Path.StartsWithSegments("/hangfire") && !context.Request.Path.StartsWithSegments("/boot") && !context.Request.Path.StartsWithSegments("/api"))
            {
                headers.ContentSecurityPolicy = PagePolicy;
            }
            return Task.CompletedTask;
        });
        await next();
    });
}
