using GGnet.Infrastructure.Identity;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class UserEndpoints
{
    public sealed record UserInput(string? Username, string? Password, string? Role);

    public sealed record RoleInput(string? Role);

    public sealed record PasswordInput(string? Password);

    public static void MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.AdminOnly);

        users.MapGet("/", (UserAccounts accounts, CancellationToken cancellationToken) => accounts.ListAsync(cancellationToken));

        users.MapPost("/", async (UserInput input, UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
        {
            var user = await accounts.CreateAsync(input.Username, input.Password, input.Role, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/users/{user.Id}", user);
        });

        users.MapPut("/{id}/role", (string id, RoleInput input, UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
            accounts.ChangeRoleAsync(id, input.Role, context.Actor(), cancellationToken))
            .WithSummary("Give a user another role (never the last admin's away); their cookies end at once.");

        users.MapPost("/{id}/password", async (string id, PasswordInput input, UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
        {
            await accounts.ResetPasswordAsync(id, input.Password, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).WithSummary("Set a new password for a user who lost theirs.");

        users.MapPost("/{id}/disable", (string id, UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
            accounts.SetDisabledAsync(id, disabled: true, context.Actor(), cancellationToken))
            .WithSummary("Disable a user: no login; their cookies end at the next request and their API tokens at once.");

        users.MapPost("/{id}/enable", (string id, UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
            accounts.SetDisabledAsync(id, disabled: false, context.Actor(), cancellationToken))
            .WithSummary("Enable a disabled user again.");

        users.MapDelete("/{id}", async (string id, UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
        {
            await accounts.DeleteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        }).WithSummary("Delete a user and their API tokens (never yourself, never the last admin).");
    }
}
