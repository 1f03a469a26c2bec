using Microsoft.AspNetCore.SignalR;

namespace GGnet.Web.Hubs;

/// <summary>
/// Live changes for external clients (any logged-in user or API token). Messages, all without payload
/// beyond ids — fetch details from the REST API:
/// <c>machineChanged(machineId)</c>, <c>discoveredChanged()</c>, <c>bootPlaneChanged()</c>, <c>imageChanged(imageId)</c>.
/// Documented for clients in docs/status-hub.md.
/// </summary>
public sealed class StatusHub : Hub
{
    public const string Path = "/hubs/status";
}
