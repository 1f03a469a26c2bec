using GGnet.Infrastructure.Identity;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class UserEndpoints
{
    public sealed record UserInput(string? Username, string? Password, string? Role);

    public static void MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.AdminOnly);

        users.MapGet("/", (UserAccounts accounts, CancellationToken cancellationToken) => accounts.ListAsync(cancellationToken));

        users.MapPost("/", async (UserInput input, UserAccounts accounts, HttpContext context, CancellationToken cancellationToken) =>
        {
            var user = await accounts.CreateAsync(input.Username, input.Password, input.Role, context.Actor(), cancellationToken);
            return Results.Created($"/api/v1/users/{user.Id}", user);
        });
    }
}
