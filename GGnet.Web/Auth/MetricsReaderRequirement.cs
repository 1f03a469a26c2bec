using System.Net;
using GGnet.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Auth;

/// <summary>
/// Who may read /metrics: the server itself (loopback), a logged-in user or API token, or anyone when
/// Metrics:AllowAnonymous is set (for a port firewalled to the monitoring host). Checked on the endpoint, so every
/// spelling of its path that routing matches (/METRICS, /metrics/) gets the same answer.
/// </summary>
public sealed class MetricsReaderRequirement : IAuthorizationRequirement
{
    public const string Refusal = "Metrics are readable from this server itself, with an API token (Authorization: Bearer), or by anyone when Metrics:AllowAnonymous is set.";
}

public sealed class MetricsReaderHandler(IOptions<MetricsOptions> options) : AuthorizationHandler<MetricsReaderRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsReaderRequirement requirement)
    {
        var remote = (context.Resource as HttpContext)?.Connection.RemoteIpAddress;
        if (options.Value.AllowAnonymous || (remote is not null && IPAddress.IsLoopback(remote)) || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
