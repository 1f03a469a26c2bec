using GGnet.Core.Domain;
using GGnet.Infrastructure;
using GGnet.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Auth;

public static class AuthSetup
{
    /// <summary>The login cookie's name.</summary>
    public const string CookieName = "ggnet.auth";

    /// <summary>Picks the bearer handler for API calls that carry a token, the login cookie otherwise.</summary>
    public const string Scheme = "GGnet";

    public static IServiceCollection AddGGnetAuth(this IServiceCollection services)
    {
        services.AddIdentityCore<GGnetUser>(identity =>
            {
                identity.Password.RequiredLength = 8;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequireUppercase = false;
                identity.User.RequireUniqueEmail = false;
                identity.Lockout.AllowedForNewUsers = true;
            })
            .AddGGnetIdentityStores()
            .AddSignInManager();
        SignInRequests.Register(services);
        services.AddOptions<IdentityOptions>().Configure<IOptions<AuthOptions>>((identity, auth) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = auth.Value.MaxFailedLogins;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(auth.Value.LockoutMinutes);
        });

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = Scheme;
                options.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Login cookie or API token", options =>
                options.ForwardDefaultSelector = context =>
                    BearerTokenHandler.HasBearerToken(context.Request) ? BearerTokenHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/login";
            cookie.AccessDeniedPath = "/login";
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
            // API clients get status codes, not a redirect to an HTML page.
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.CanOperate, policy => policy.RequireRole(Roles.Admin, Roles.Operator))
            .AddPolicy(Policies.AdminOnly, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.ReadMetrics, policy => policy.AddRequirements(new MetricsReaderRequirement()));
        services.AddSingleton<IAuthorizationHandler, MetricsReaderHandler>();
        services.AddCascadingAuthenticationState();
        // A disabled user, or one given another role or password, is out at their next request and on open pages within 30 s.
        services.Configure<SecurityStampValidatorOptions>(stamp => stamp.ValidationInterval = TimeSpan.Zero);
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingIdentityState>();
        return services;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments(Composition.MetricsSetup.Path))
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync(MetricsReaderRequirement.Refusal);
        }
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs") || context.Request.Path.StartsWithSegments("/openapi"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
