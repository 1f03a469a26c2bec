using GGnet.Web.Auth;

namespace GGnet.Web.Composition;

/// <summary>
/// A browser sends GGnet's login cookie with every request to GGnet, also one another site's page makes it send. So an
/// API request that changes something (POST, PUT, PATCH, DELETE), made with the cookie rather than an API token, must
/// carry GGnet's own header <see cref="Header"/> (or the upload header the Images page sends): a page of another site
/// can't add a header to a request to GGnet without GGnet's consent, which it never gives.
/// </summary>
public static class CookieRequestGuard
{
    public const string Header = "X-GGnet-Request";

    public const string Refusal =
        $"A change through the API with the login cookie needs the {Header} header (any value), or an API token (Authorization: Bearer). This keeps other sites' pages from acting in your name.";

    public static IApplicationBuilder UseCookieRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && !BearerTokenHandler.HasBearerToken(request) && request.Cookies.ContainsKey(AuthSetup.CookieName)
            && !request.Headers.ContainsKey(Header) && !request.Headers.ContainsKey(Api.ImageEndpoints.UploadHeader))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { title = "Missing request header", detail = Refusal });
            return;
        }
        await next();
    });
}
