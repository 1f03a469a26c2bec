namespace GGnet.Web.Composition;

/// <summary>
/// Each request past routing logs under its path and id. ASP.NET Core's hosting logger would give every request such a
/// scope, and an activity with it, a PC's boot script as well: a third of what GGnet allocated under a flood of script
/// requests (docs/benchmarks.md). appsettings.json turns that logger off (<see cref="HostingLogger"/>); this puts the scope
/// back for the requests people and API clients make. The boot endpoints end at routing, before it.
/// </summary>
public static class RequestLogScope
{
    /// <summary>The category of ASP.NET Core's per-request log lines and scope, off by default.</summary>
    public const string HostingLogger = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static void Use(IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLogScope));
        app.Use(async (context, next) =>
        {
            using (logger.BeginScope(new Dictionary<string, object>(2)
            {
                ["RequestPath"] = context.Request.Path.ToString(),
                ["RequestId"] = context.TraceIdentifier,
            }))
            {
                await next(context);
            }
        });
    }
}
