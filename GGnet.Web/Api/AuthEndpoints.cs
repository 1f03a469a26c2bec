using GGnet.Infrastructure.Identity;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class AuthEndpoints
{
    public sealed record TokenRequest(string? Username, string? Password, string? Label = null);

    public sealed record TokenResponse(string Token, DateTime ExpiresAt);

    public static void MapAuthEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", async Task<IResult> (TokenRequest request, ApiTokenService tokens, LoginThrottle throttle, LoginAudit logins, HttpContext context,
            CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["credentials"] = ["Send both a username and a password."],
                });
            }
            var from = context.Connection.RemoteIpAddress;
            var attempt = throttle.Begin(from);
            if (attempt.Wait is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many wrong passwords", detail: LoginThrottle.Refusal(wait));
            }
            var issued = await tokens.IssueAsync(request.Username.Trim(), request.Password, request.Label, cancellationToken);
            if (issued is null)
            {
                await logins.FailedAsync(attempt, cancellationToken);
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Login failed",
                    detail: "The user name or password is wrong, or an admin locked the account.");
            }
            throttle.Succeeded(from);
            return Results.Ok(new TokenResponse(issued.Token, issued.ExpiresAt));
        })
        .AllowAnonymous()
        .WithSummary("Exchange a user name and password for a bearer token.");

        api.MapPost("/auth/password", async (PasswordChange change, GGnet.Infrastructure.Identity.UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
        {
            await accounts.ChangePasswordAsync(context.Actor(), change.CurrentPassword, change.NewPassword, cancellationToken);
            return Results.NoContent();
        })
        .WithSummary("Change your own password (the current one is required).");

        var tokens = api.MapGroup("/tokens").WithTags("API tokens").RequireAuthorization(Policies.AdminOnly);

        tokens.MapGet("/", (ApiTokenService service, CancellationToken cancellationToken) => service.ListAsync(cancellationToken))
            .WithSummary("Every API token (never its text): owner, label, first characters, expiry and state.");

        tokens.MapPost("/{id:int}/revoke", (int id, ApiTokenService service, HttpContext context, CancellationToken cancellationToken) =>
            service.RevokeAsync(id, context.Actor(), cancellationToken))
            .WithSummary("End a token now; requests with it get 401 from then on.");
    }

    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);
}
