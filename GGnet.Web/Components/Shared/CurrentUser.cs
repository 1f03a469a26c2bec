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

    /// <summary>
    /// True when the user may act under the policy; otherwise says why on the snackbar. Every handler that changes
    /// something asks, whatever the buttons show: a role can change while a page is open.
    /// </summary>
    public async Task<bool> MayAsync(string policy, MudBlazor.ISnackbar snackbar)
    {
        if (await IsAllowedAsync(policy))
        {
            return true;
        }
        snackbar.Add(policy == GGnet.Web.Auth.Policies.AdminOnly ? "Only an admin can do that." : "Your role can only look: ask an operator or an admin.", MudBlazor.Severity.Error);
        return false;
    }
}
