using System.Net;
using System.Net.Http.Json;
using GGnet.Infrastructure.Identity;
using GGnet.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// A customer on the LAN tries admin's password again and again: his computer has to wait, the account stays open
/// from every other computer, and admin's API tokens keep working.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class LoginThrottleTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Fact]
    public async Task WrongPasswordsFromOneComputer_MakeThatComputerWait_NeverLockTheAccount_NorCutItsTokens()
    {
        using var admin = await app.CreateAdminClientAsync();

        var wrong = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add(await TokenAsync("10.99.0.66", "not-the-password"));
        }
        var rightFromThere = await TokenAsync("10.99.0.66", GGnetAppFactory.AdminPassword);
        var rightFromElsewhere = await TokenAsync("10.99.0.21", GGnetAppFactory.AdminPassword);
        var tokenMeanwhile = await admin.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));

        Assert.All(wrong, s => Assert.Equal(HttpStatusCode.Unauthorized, s.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightFromThere.Status);
        Assert.Contains("Too many wrong passwords from this computer", rightFromThere.Body, StringComparison.Ordinal);
        Assert.Contains("from another computer you can log in now", rightFromThere.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rightFromElsewhere.Status);
        Assert.Equal(HttpStatusCode.OK, tokenMeanwhile.StatusCode);
    }

    [Fact]
    public void TheWait_EndsWithTheWindow_AndARightPasswordClearsTheCount()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var throttle = new LoginThrottle(Options.Create(new AuthOptions { MaxFailedLogins = 3, LockoutMinutes = 5 }), clock);
        var seat17 = IPAddress.Parse("10.99.0.117");
        var seat18 = IPAddress.Parse("10.99.0.118");

        throttle.Failed(seat17);
        throttle.Failed(seat17);
        var afterTwo = throttle.WaitFor(seat17);
        throttle.Failed(seat17);
        var afterThree = throttle.WaitFor(seat17);
        clock.Advance(TimeSpan.FromMinutes(5));
        var afterTheWindow = throttle.WaitFor(seat17);
        throttle.Failed(seat18);
        throttle.Failed(seat18);
        throttle.Succeeded(seat18);
        throttle.Failed(seat18);

        Assert.Null(afterTwo);
        Assert.Equal(TimeSpan.FromMinutes(5), afterThree);
        Assert.Null(afterTheWindow);
        Assert.Null(throttle.WaitFor(seat18));
    }

    // A token request as it reaches GGnet from that address.
    private async Task<(HttpStatusCode Status, string Body)> TokenAsync(string from, string password)
    {
        using var client = new HttpClient(app.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(from))) { BaseAddress = app.Server.BaseAddress };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
