using GGnet.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GGnet.Web.Auth;

/// <summary>
/// The request Identity's sign-in works for, given to it alone. Identity asks for ASP.NET Core's
/// <see cref="IHttpContextAccessor"/> to be registered, and with one registered every request, a PC's boot script as
/// well, gets a new <see cref="HttpContext"/> (none is reused on its connection) and sets an async-local value: a fifth
/// of what GGnet allocated under a flood of script requests (docs/benchmarks.md). Here the sign-in gets an accessor of
/// its own, which the pipeline fills for the requests that reach it; the boot endpoints end at routing, before it.
/// </summary>
public sealed class SignInRequests
{
    private readonly HttpContextAccessor _current = new();

    /// <summary>Sign-in as Identity builds it, but on this accessor; and no accessor for everyone.</summary>
    public static void Register(IServiceCollection services)
    {
        services.RemoveAll<IHttpContextAccessor>();
        services.AddSingleton<SignInRequests>();
        services.Replace(ServiceDescriptor.Scoped(provider =>
            ActivatorUtilities.CreateInstance<SignInManager<GGnetUser>>(provider, provider.GetRequiredService<SignInRequests>()._current)));
    }

    /// <summary>Makes each request that passes here the one sign-in works for, until it ends.</summary>
    public static void Use(IApplicationBuilder app)
    {
        var requests = app.ApplicationServices.GetRequiredService<SignInRequests>();
        app.Use(async (context, next) =>
        {
            requests._current.HttpContext = context;
            try
            {
                await next(context);
            }
            finally
            {
                // Also empties it for whatever the request's work left running (the accessor holds it through a box it clears).
                requests._current.HttpContext = null;
            }
        });
    }
}
