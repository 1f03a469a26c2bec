using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace GGnet.Web.Components.Shared;

/// <summary>Who is using this circuit and what they may do; every action checks it, not only the buttons.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    public async Task<string> NameAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "unknown";

    public async Task<bool> IsAllowedAsync(string policy)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return (await authorization.AuthorizeAsync(user, policy)).Succeeded;
    }
}
