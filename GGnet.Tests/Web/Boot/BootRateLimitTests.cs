using System.Net;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Boot;

public sealed class RateLimitedBootAppFactory : BootAppFactory
{
    public const int Limit = 5;

    protected override int RequestsPerMinute => Limit;
}

[Collection(WebAppTests.Name)]
public sealed class BootRateLimitTests(RateLimitedBootAppFactory app) : IClassFixture<RateLimitedBootAppFactory>
{
    [Fact]
    public async Task BootRequests_OverTheLimitPerClient_Get429()
    {
        using var client = app.CreateAnonymousClient();
        // The limit counts by the wall clock's minute: all the requests fall in one.
        await WallClock.WaitForSecondsOfTheMinuteAsync(0, 55);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitedBootAppFactory.Limit + 3; i++)
        {
            statuses.Add((await client.GetAsync(new Uri("/boot/boot.ipxe", UriKind.Relative))).StatusCode);
        }

        Assert.All(statuses.Take(RateLimitedBootAppFactory.Limit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(statuses.Skip(RateLimitedBootAppFactory.Limit), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }
}
