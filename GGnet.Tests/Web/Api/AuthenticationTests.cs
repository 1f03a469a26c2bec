using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Api;

[Collection(WebAppTests.Name)]
public sealed class AuthenticationTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Theory]
    [InlineData("/api/v1/machines")]
    [InlineData("/api/v1/machines/1")]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/groups")]
    [InlineData("/api/v1/users")]
    [InlineData("/openapi/v1.json")]
    public async Task Api_Anonymous_Gets401(string path)
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_AnonymousWrite_Gets401AndSavesNothing()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.PostAsJsonAsync("/api/v1/machines", new { name = "sneaky", macAddress = TestMacs.Next() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var admin = await app.CreateAdminClientAsync();
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/machines?search=sneaky");
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/machines")]
    [InlineData("/audit")]
    [InlineData("/settings")]
    public async Task Page_Anonymous_RedirectsToLogin(string path)
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/login")]
    public async Task PublicPaths_Anonymous_Answer200(string path)
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/app.css")]
    [InlineData("/upload.js")]
    [InlineData("/favicon.svg")]
    public async Task TheTopLevelWebRootsFiles_AreServed_AsTheyAreInTheRepository(string path)
    {
        using var client = app.CreateAnonymousClient();

        var served = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(await File.ReadAllTextAsync(RepositoryFiles.PathOf("wwwroot", path.TrimStart('/'))), served);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders_AndPagesAContentPolicyOfTheirOwnOrigin()
    {
        using var client = app.CreateAnonymousClient();

        var login = await client.GetAsync(new Uri("/login", UriKind.Relative));
        var api = await client.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));

        foreach (var response in new[] { login, api })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
        var policy = login.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.False(api.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task PasswordChange_NeedsTheCurrentOne_AndARuleAbidingNewOne_ThenOnlyTheNewOneLogsIn()
    {
        using var admin = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("pw").ToLowerInvariant();
        (await admin.PostAsJsonAsync("/api/v1/users", new { username = name, password = "first-pass-1", role = "Viewer" })).EnsureSuccessStatusCode();
        using var user = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        var token = await (await user.PostAsJsonAsync("/api/v1/auth/token", new { username = name, password = "first-pass-1" })).Content.ReadFromJsonAsync<JsonElement>();
        user.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());

        var wrongCurrent = await user.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "not-it-1", newPassword = "second-pass-2" });
        var weak = await user.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "first-pass-1", newPassword = "short" });
        var changed = await user.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "first-pass-1", newPassword = "second-pass-2" });
        var oldLogin = await user.PostAsJsonAsync("/api/v1/auth/token", new { username = name, password = "first-pass-1" });
        var newLogin = await user.PostAsJsonAsync("/api/v1/auth/token", new { username = name, password = "second-pass-2" });
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?actor={name}&action=user.password-changed");

        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.Contains("The current password is not right.", await wrongCurrent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("newPassword", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newLogin.StatusCode);
        Assert.Equal(1, audit.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Health_WithDatabase_SaysHealthy()
    {
        using var client = app.CreateAnonymousClient();

        var body = await client.GetStringAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal("Healthy", body);
    }

    [Fact]
    public async Task Token_RightPassword_GivesATokenThatOpensTheApi()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetAppFactory.AdminPassword });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        var machines = await client.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("expiresAt").GetDateTime() > DateTime.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, machines.StatusCode);
    }

    [Fact]
    public async Task Token_IsStoredOnlyAsItsHash()
    {
        using var client = app.CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetAppFactory.AdminPassword });
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContextAsync();
        var hashes = await db.ApiTokens.Select(t => t.TokenHash).ToListAsync();

        Assert.DoesNotContain(token, hashes);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), hashes);
    }

    [Fact]
    public async Task Token_WrongPassword_Gets401WithASentence()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "wrong-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("wrong", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Unknown_Gets401()
    {
        using var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        var response = await client.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task HangfireDashboard_IsForAdminsOnly()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var viewer = await app.CreateClientWithRoleAsync(GGnet.Core.Domain.Roles.Viewer);
        using var anonymous = app.CreateAnonymousClient();

        var asAdmin = await admin.GetAsync(new Uri("/hangfire", UriKind.Relative));
        var asViewer = await viewer.GetAsync(new Uri("/hangfire", UriKind.Relative));
        var asNobody = await anonymous.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, asNobody.StatusCode);
    }

    [Fact]
    public async Task OpenApi_WithToken_DescribesTheMachinesApi_WithNamedSchemas()
    {
        using var client = await app.CreateAdminClientAsync();

        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        var schemas = document.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/machines", out _));
        Assert.Contains("MachineDto", schemas);
        // Every answer is a named type: a client generator turns "AnonymousTypeOfstringAndlong" into unusable names.
        Assert.DoesNotContain(schemas, name => name.Contains("Anonymous", StringComparison.Ordinal));
    }
}
