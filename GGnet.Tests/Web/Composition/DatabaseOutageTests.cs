using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GGnet.Tests.Web.Composition;

/// <summary>
/// The running app loses its SQLite database (<see cref="DatabaseFileAway"/>), so the next request can't open it; then the
/// file is put back.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class DatabaseOutageTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    private const string Sentence =
        "GGnet can't reach its database right now, so this could not be done. Check that ggnet.db in GGnet's data directory is there, "
        + "and that its disk is mounted, readable and not full. GGnet keeps running and answers normally as soon as the database is back: try again in a moment.";

    [Fact]
    public async Task TheDatabaseUnreachable_ApiPagesAndHealthAnswer503WithWhatToDo_AndOnceItIsBackTheSameRequestsSucceed()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var browser = await LogInAsync();
        using var anonymous = app.CreateAnonymousClient();

        HttpResponseMessage api, page, health;
        using (DatabaseFileAway.Begin(app.DataDirectory))
        {
            api = await admin.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));
            page = await browser.GetAsync(new Uri("/machines", UriKind.Relative));
            health = await anonymous.GetAsync(new Uri("/health", UriKind.Relative));
        }
        var apiAgain = await admin.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));
        var pageAgain = await browser.GetAsync(new Uri("/machines", UriKind.Relative));
        var healthAgain = await anonymous.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("15", api.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Database unavailable", problem.GetProperty("title").GetString());
        Assert.Equal(Sentence, problem.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("15", page.Headers.GetValues("Retry-After").Single());
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>GGnet can't reach its database</h1>", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Sentence), html, StringComparison.Ordinal);
        Assert.DoesNotContain("SqliteException", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" at GGnet.", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());

        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Equal(HttpStatusCode.OK, apiAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pageAgain.StatusCode);
        Assert.Contains("Machines", await pageAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, healthAgain.StatusCode);
    }

    // The login form as a browser posts it; the client keeps the login cookie.
    private async Task<HttpClient> LogInAsync()
    {
        var browser = app.CreateClient();
        (await LoginForm.PostAsync(browser, "admin", GGnetAppFactory.AdminPassword)).EnsureSuccessStatusCode();
        return browser;
    }
}
