using GGnet.Core.Errors;
using GGnet.Core.Sessions;
using MudBlazor;

namespace GGnet.Web.Components.Shared;

/// <summary>
/// Stops a session from a page. When GGnet refuses (a maintenance PC still running), the admin reads why and may
/// stop it anyway.
/// </summary>
public static class SessionStopper
{
    /// <returns>Whether the session is stopping.</returns>
    public static async Task<bool> StopAsync(StopSession stop, IDialogService dialogs, int sessionId, string actor)
    {
        try
        {
            await stop.ExecuteAsync(sessionId, actor, CancellationToken.None);
            return true;
        }
        catch (ConflictException refused)
        {
            var anyway = await dialogs.ShowMessageBoxAsync("The PC is still running", refused.Message, yesText: "Stop anyway", cancelText: "Cancel");
            if (anyway != true)
            {
                return false;
            }
            await stop.ExecuteAsync(sessionId, actor, CancellationToken.None, force: true);
            return true;
        }
    }
}
