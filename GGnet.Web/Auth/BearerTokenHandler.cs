using System.Security.Claims;
using System.Text.Encodings.Web;
using GGnet.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the stored token hashes.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string Prefix = "Bearer ";

    public static bool HasBearerToken(HttpRequest request) => TokenOf(request) is not null;

    // WebSocket clients can't set headers: SignalR sends the token as ?access_token= on the hub's path only.
    private static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return header[Prefix.Length..].Trim();
        }
        return request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } query ? query : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TokenOf(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }
        var owner = await tokens.ValidateAsync(token, Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        }

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, owner.UserId), new(ClaimTypes.Name, owner.UserName) };
        claims.AddRange(owner.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
