using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Infrastructure.Identity;
using GGnet.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// A customer on the LAN tries admin's password again and again: his computer has to wait, the account stays open
/// from every other computer, and admin's API tokens keep working. The admin sees it in the audit, with every login.
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
    public async Task AComputerMadeToWait_IsAuditedOnce_WithItsAddress_NeverWithWhatItTyped()
    {
        using var admin = await app.CreateAdminClientAsync();

        for (var i = 0; i < 7; i++)
        {
            await TokenAsync("10.99.0.67", $"guess-{i}-of-seat-17");
        }
        var audit = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit?action=login.throttled&pageSize=100", UriKind.Relative));

        var entries = audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("entityId").GetString() == "10.99.0.67").ToList();
        var entry = Assert.Single(entries);
        Assert.Equal("login", entry.GetProperty("entityType").GetString());
        Assert.Equal("5 wrong passwords within 5 minutes: this computer may not log in for 5 minutes", entry.GetProperty("after").GetString());
        Assert.DoesNotContain("guess-", audit.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoginOnTheLoginPage_IsAudited_WithTheUserAndTheComputer()
    {
        using var admin = await app.CreateAdminClientAsync();

        var loggedIn = await LogInOnThePageAsync("10.99.0.31", GGnetAppFactory.AdminPassword);
        var wrong = await LogInOnThePageAsync("10.99.0.32", "not-the-password");
        var audit = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit?action=user.logged-in&pageSize=100", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, loggedIn.Status);
        Assert.Contains("The user name or password is wrong.", wrong.Body, StringComparison.Ordinal);
        var logins = audit.GetProperty("items").EnumerateArray().Select(e => (Actor: e.GetProperty("actor").GetString(), After: e.GetProperty("after").GetString())).ToList();
        Assert.Contains(("admin", "from 10.99.0.31"), logins);
        Assert.DoesNotContain(logins, l => l.After == "from 10.99.0.32");
    }

    [Fact]
    public async Task WrongPasswordsSentAllAtOnce_GetNoMoreTriesThanOneAfterTheOther()
    {
        using var admin = await app.CreateAdminClientAsync();

        var burst = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => TokenAsync("10.99.0.68", $"burst-{i}")));
        var rightAfter = await TokenAsync("10.99.0.68", GGnetAppFactory.AdminPassword);

        Assert.Equal(5, burst.Count(r => r.Status == HttpStatusCode.Unauthorized));
        Assert.Equal(19, burst.Count(r => r.Status == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightAfter.Status);
    }

    [Fact]
    public void TheAttemptThatMakesAComputerWait_IsTheOneReported()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var throttle = new LoginThrottle(Options.Create(new AuthOptions { MaxFailedLogins = 3, LockoutMinutes = 5 }), clock);
        var seat17 = IPAddress.Parse("10.99.0.117");

        var attempts = Enumerable.Range(0, 5).Select(_ => throttle.Begin(seat17)).ToList();
        clock.Advance(TimeSpan.FromMinutes(5));
        var afterTheWindow = Enumerable.Range(0, 3).Select(_ => throttle.Begin(seat17)).ToList();

        Assert.Equal([false, false, true, false, false], attempts.Select(throttle.MakesItWait));
        Assert.Equal([null, null, null, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)], attempts.Select(a => a.Wait));
        Assert.Equal([false, false, true], afterTheWindow.Select(throttle.MakesItWait));
    }

    [Fact]
    public void TheWait_EndsWithTheWindow_AndARightPasswordClearsTheCount()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var throttle = new LoginThrottle(Options.Create(new AuthOptions { MaxFailedLogins = 3, LockoutMinutes = 5 }), clock);
        var seat17 = IPAddress.Parse("10.99.0.117");
        var seat18 = IPAddress.Parse("10.99.0.118");

        throttle.Begin(seat17);
        throttle.Begin(seat17);
        throttle.Begin(seat17);
        clock.Advance(TimeSpan.FromMinutes(2));
        var fourth = throttle.Begin(seat17);
        clock.Advance(TimeSpan.FromMinutes(3));
        var afterTheWindow = throttle.Begin(seat17);
        throttle.Begin(seat18);
        throttle.Begin(seat18);
        throttle.Succeeded(seat18);
        throttle.Begin(seat18);
        var seat18Again = throttle.Begin(seat18);

        Assert.Equal(TimeSpan.FromMinutes(3), fourth.Wait);
        Assert.Null(afterTheWindow.Wait);
        Assert.Equal(1, afterTheWindow.Number);
        Assert.Null(seat18Again.Wait);
        Assert.Equal(2, seat18Again.Number);
    }

    // The login form as a browser posts it from that address; the answer's status and page.
    private async Task<(HttpStatusCode Status, string Body)> LogInOnThePageAsync(string from, string password)
    {
        // With its cookies, as a browser keeps the form's antiforgery cookie; redirects are left to the test to see.
        var cookies = new CookieContainerHandler { InnerHandler = app.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(from)) };
        using var browser = new HttpClient(cookies) { BaseAddress = app.Server.BaseAddress };
        var response = await LoginForm.PostAsync(browser, "admin", password);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // A token request as it reaches GGnet from that address.
    private async Task<(HttpStatusCode Status, string Body)> TokenAsync(string from, string password)
    {
        using var client = new HttpClient(app.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(from))) { BaseAddress = app.Server.BaseAddress };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
