using System.Net;
using System.Threading.RateLimiting;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Persistence;
using GGnet.Web.Composition;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Api;

/// <summary>
/// What the boot endpoints need of the app's middleware, which they skip (a hall booting at once asks thousands of
/// times a second; sessions, cookies, antiforgery and page errors mean nothing to a PC's firmware): a limit per client
/// address and one for all clients together, and an answer the PC understands when the database is unreachable.
/// </summary>
public sealed class BootRequestGuard : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly ILogger<BootRequestGuard> _logger;

    public BootRequestGuard(IOptions<BootOptions> options, ILogger<BootRequestGuard> logger)
    {
        var perClient = options.Value.RequestsPerMinutePerClient;
        var all = options.Value.RequestsPerMinute;
        _logger = logger;
        // Per client address, and for all of them together: a client that changes its address still can't make GGnet work without bound.
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perClient, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })),
            PartitionedRateLimiter.Create<IPAddress, string>(_ => RateLimitPartition.GetFixedWindowLimiter("all",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = all, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
    }

    /// <summary>Answers the request with <paramref name="answer"/> within the limits: 429 beyond them, a script that waits and asks again while the database is unreachable.</summary>
    public async Task AnswerAsync(HttpContext http, Func<HttpContext, Task> answer)
    {
        using (var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress ?? IPAddress.None))
        {
            if (!lease.IsAcquired)
            {
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return;
            }
        }
        try
        {
            await answer(http);
        }
        catch (Exception problem) when (DatabaseOutage.Is(problem) && !http.Response.HasStarted)
        {
            _logger.LogWarning("{Path} could not reach the database: {Reason}", http.Request.Path, DatabaseOutage.ReasonOf(problem));
            http.Response.Clear();
            http.Response.Headers.RetryAfter = DatabaseOutageResponses.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await BootEndpoints.WriteScriptAsync(http,
                $"#!ipxe\necho GGnet can't reach its database right now; trying again in {DatabaseOutageResponses.RetryAfterSeconds} seconds.\n" +
                $"sleep {DatabaseOutageResponses.RetryAfterSeconds}\nchain --replace --autofree ${{ggnet-http}} || exit 1\n",
                StatusCodes.Status503ServiceUnavailable);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
