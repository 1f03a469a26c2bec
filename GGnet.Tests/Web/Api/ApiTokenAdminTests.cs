using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Api;

/// <summary>Admins list every API token (never its text) and revoke one: from then on it opens nothing.</summary>
[Collection(WebAppTests.Name)]
public sealed class ApiTokenAdminTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Fact]
    public async Task Revoke_EndsThatTokenOnly_AndTheListShowsItRevokedWithoutItsText()
    {
        var billing = await IssueAsync("billing system");
        var other = await IssueAsync(null);
        using var admin = await app.CreateAdminClientAsync();
        var before = await ListAsync(admin);
        var billingRow = before.Single(t => t.GetProperty("label").GetString() == "billing system");

        var revoke = await admin.PostAsync(new Uri($"/api/v1/tokens/{billingRow.GetProperty("id").GetInt32()}/revoke", UriKind.Relative), null);
        var after = await ListAsync(admin);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("active", billingRow.GetProperty("state").GetString());
        Assert.Equal(billing[..6], billingRow.GetProperty("hint").GetString());
        Assert.Equal("admin", billingRow.GetProperty("userName").GetString());
        Assert.Equal("revoked", after.Single(t => t.GetProperty("id").GetInt32() == billingRow.GetProperty("id").GetInt32()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMachinesAsync(billing)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetMachinesAsync(other)).StatusCode);
        var listed = JsonSerializer.Serialize(after);
        Assert.DoesNotContain(billing, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("tokenHash", listed, StringComparison.OrdinalIgnoreCase);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=token.revoked");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("entityId").GetString() == billingRow.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ExpiredToken_Gets401_AndIsListedAsExpired()
    {
        var token = await IssueAsync("short-lived");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContextAsync())
        {
            await db.ApiTokens.Where(t => t.Label == "short-lived").ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }
        using var admin = await app.CreateAdminClientAsync();

        var response = await GetMachinesAsync(token);
        var listed = (await ListAsync(admin)).Single(t => t.GetProperty("label").GetString() == "short-lived");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("expired", listed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task LoginForm_PostedWithoutItsAntiforgeryToken_IsRefused_AndLogsNobodyIn()
    {
        using var browser = app.CreateAnonymousClient();
        using var fields = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Username"] = "admin",
            ["Input.Password"] = GGnetAppFactory.AdminPassword,
        });

        var response = await browser.PostAsync(new Uri("/login", UriKind.Relative), fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Revoke_UnknownToken_Gets404WithASentence()
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsync(new Uri("/api/v1/tokens/987654/revoke", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no API token 987654", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenList_IsForAdminsOnly()
    {
        using var operatorClient = await app.CreateClientWithRoleAsync(GGnet.Core.Domain.Roles.Operator);

        var list = await operatorClient.GetAsync(new Uri("/api/v1/tokens", UriKind.Relative));
        var revoke = await operatorClient.PostAsync(new Uri("/api/v1/tokens/1/revoke", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
    }

    [Fact]
    public async Task Issue_LabelOnSeveralLines_Gets400NamingTheLabel()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetAppFactory.AdminPassword, label = "ok\nforged: line" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("label", out _));
    }

    private async Task<string> IssueAsync(string? label)
    {
        using var client = app.CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetAppFactory.AdminPassword, label });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task<HttpResponseMessage> GetMachinesAsync(string token)
    {
        using var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));
    }

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tokens")).EnumerateArray().ToList();
}
