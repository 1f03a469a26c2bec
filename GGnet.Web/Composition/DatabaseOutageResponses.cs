using System.Net;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Composition;

/// <summary>
/// A request that finds the database unreachable is answered 503 with Retry-After and what to do — problem details for
/// API clients, a small page for people — never a 500 with a stack trace. Nothing is cached or restarted: the app keeps
/// running and the next request after the database is back is answered normally. In every environment.
/// </summary>
public sealed class DatabaseOutageResponses(RequestDelegate next, IOptions<DatabaseOptions> database, IProblemDetailsService problems, ILogger<DatabaseOutageResponses> logger)
{
    public const int RetryAfterSeconds = 15;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception problem) when (DatabaseOutage.Is(problem) && !context.Response.HasStarted)
        {
            logger.LogWarning("{Method} {Path} could not reach the database: {Reason}", context.Request.Method, context.Request.Path, DatabaseOutage.ReasonOf(problem));
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers.CacheControl = "no-store";
            if (PipelineSetup.IsPage(context.Request))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(Page(), context.RequestAborted);
                return;
            }
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "Database unavailable", Detail = Sentence },
            });
        }
    }

    private string Sentence =>
        "GGnet can't reach its database right now, so this could not be done. " + WhatToCheck
        + " GGnet keeps running and answers normally as soon as the database is back: try again in a moment.";

    // No paths or host names: the page is also shown to people who are not logged in.
    private string WhatToCheck => database.Value.Provider == DatabaseProvider.Postgres
        ? "Check that the PostgreSQL server is running and reachable from this server (Database:ConnectionString)."
        : "Check that ggnet.db in GGnet's data directory is there, and that its disk is mounted, readable and not full.";

    private string Page() =>
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="refresh" content="{{RetryAfterSeconds}}">
        <title>Database unavailable · GGnet</title>
        <style>body { font-family: sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em; line-height: 1.5; color: #222; }</style>
        </head>
        <body>
        <h1>GGnet can't reach its database</h1>
        <p>{{WebUtility.HtmlEncode(Sentence)}}</p>
        <p>This page tries again every {{RetryAfterSeconds}} seconds.</p>
        </body>
        </html>
        """;
}
