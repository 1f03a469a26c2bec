using System.Net;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Persistence;
using GGnet.Web.Composition;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Api;

/// <summary>
/// What the boot endpoints need of the app's middleware, which they skip (a hall booting at once asks thousands of
/// times a second; sessions, cookies, antiforgery and page errors mean nothing to a PC's firmware): a limit per client
/// (by its card where the server's ARP cache shows one) and one for all clients together, and an answer the PC
/// understands when the database is unreachable.
/// </summary>
public sealed class BootRequestGuard
{
    private readonly BootRequestLimits _limits;
    private readonly BootClientCards _cards;
    private readonly ILogger<BootRequestGuard> _logger;

    public BootRequestGuard(IOptions<BootOptions> options, BootClientCards cards, TimeProvider clock, ILogger<BootRequestGuard> logger)
    {
        _cards = cards;
        _logger = logger;
        // Per client (its card, or its address), and for all of them together: a client that changes its address still
        // can't make GGnet work without bound.
        _limits = new BootRequestLimits(options.Value.RequestsPerMinutePerClient, options.Value.RequestsPerMinute, clock);
    }

    /// <summary>Answers the request with <paramref name="answer"/> within the limits: 429 beyond them, a script that waits and asks again while the database is unreachable.</summary>
    public async Task AnswerAsync(HttpContext http, Func<HttpContext, Task> answer)
    {
        if (!_limits.TryTake(await _cards.KeyOfAsync(http.Connection.RemoteIpAddress ?? IPAddress.None)))
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return;
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
}
