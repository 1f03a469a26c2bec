using System.Text;

namespace GGnet.Web.Api;

/// <summary>
/// What PCs fetch while they boot: anonymous by necessity, rate-limited per client (<see cref="BootRequestGuard"/>),
/// and each answer holds only the asking PC's own data (<see cref="BootFileAnswers"/>).
/// </summary>
public static class BootEndpoints
{
    public const string ScriptType = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapBootEndpoints(this IEndpointRouteBuilder app)
    {
        var answers = app.ServiceProvider.GetRequiredService<BootFileAnswers>();
        // Answered straight from routing, before the app's middleware and without a request scope (a hall booting at once
        // asks thousands of times a second). ASP.NET Core's request metrics leave them out: ggnet_boot_script_requests_total
        // counts them.
        var boot = app.MapGroup("/boot");
        boot.AllowAnonymous().ShortCircuit().DisableHttpMetrics().ExcludeFromDescription();
        boot.MapGet("/boot.ipxe", answers.GenericScriptAsync);
        boot.MapGet("/{file}", answers.FileAsync);
        return app;
    }

    /// <summary>An iPXE script as the answer, with its length (no chunked encoding).</summary>
    public static Task WriteScriptAsync(HttpContext http, string script, int status = StatusCodes.Status200OK)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ScriptType;
        http.Response.ContentLength = Encoding.UTF8.GetByteCount(script);
        // Encoded straight into the response's buffers: a storm asks thousands of times a second.
        var body = http.Response.BodyWriter;
        Encoding.UTF8.GetBytes(script, body);
        var flushed = body.FlushAsync(http.RequestAborted);
        if (flushed.IsCompletedSuccessfully)
        {
            _ = flushed.Result;
            return Task.CompletedTask;
        }
        return flushed.AsTask();
    }
}
