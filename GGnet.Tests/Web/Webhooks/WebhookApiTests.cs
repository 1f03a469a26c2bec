using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Webhooks;

/// <summary>/api/v1/webhooks: admins only, input checked field by field, the secret shown on creation and on request, every change audited.</summary>
[Collection(WebAppTests.Name)]
public sealed class WebhookApiTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Theory]
    [InlineData("ftp://billing.example/hook")]
    [InlineData("/relative/hook")]
    [InlineData("https://user:pass@billing.example/hook")]
    [InlineData("https://billing.example/hook#part")]
    [InlineData("")]
    public async Task BadUrl_Is400_NamingTheUrlField(string url)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events = "all" });
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(errors.TryGetProperty("url", out var messages), errors.ToString());
        Assert.EndsWith(".", messages[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("events", out _));
    }

    [Fact]
    public async Task TooLongUrl_Is400_SayingTheLimit()
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://billing.example/" + new string('a', 2000), events = "all" });
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 2000", errors.GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"session.exploded\"]")]
    [InlineData("42")]
    public async Task BadEvents_Is400_NamingTheEventsField(string events)
    {
        using var admin = await app.CreateAdminClientAsync();

        using var body = new StringContent($"{{\"url\":\"https://billing.example/hook\",\"events\":{events}}}", System.Text.Encoding.UTF8, "application/json");
        var response = await admin.PostAsync(new Uri("/api/v1/webhooks", UriKind.Relative), body);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(errors.TryGetProperty("events", out _), errors.ToString());
        Assert.False(errors.TryGetProperty("url", out _));
    }

    [Theory]
    [InlineData("Operator")]
    [InlineData("Viewer")]
    public async Task NonAdmins_Get403_OnEveryWebhookRoute(string role)
    {
        using var admin = await app.CreateAdminClientAsync();
        var (id, _) = await admin.AddWebhookAsync("http://127.0.0.1:9/hook", ["all"]);
        using var other = await app.CreateClientWithRoleAsync(role);

        var responses = new[]
        {
            await other.GetAsync(new Uri("/api/v1/webhooks", UriKind.Relative)),
            await other.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/x", events = "all" }),
            await other.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { url = "http://127.0.0.1:9/x", events = "all" }),
            await other.DeleteAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative)),
            await other.PostAsync(new Uri($"/api/v1/webhooks/{id}/secret", UriKind.Relative), null),
            await other.GetAsync(new Uri($"/api/v1/webhooks/{id}/deliveries", UriKind.Relative)),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative));
    }

    [Fact]
    public async Task Create_ShowsTheSecretOnce_ListsNeverDo_RevealGivesTheSame_AndEveryChangeIsAudited()
    {
        using var admin = await app.CreateAdminClientAsync();

        var (id, secret) = await admin.AddWebhookAsync("https://billing.example/ggnet", ["session.ready", "SESSION.FAILED"]);
        var listed = await admin.GetStringAsync(new Uri("/api/v1/webhooks", UriKind.Relative));
        var revealed = await (await admin.PostAsync(new Uri($"/api/v1/webhooks/{id}/secret", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var updated = await (await admin.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { url = "https://billing.example/v2", events = "all", enabled = false }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var deleted = await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative));
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entityType=webhook&pageSize=200");
        var actions = audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("entityId").GetString() == $"{id}").Select(e => e.GetProperty("action").GetString()).ToList();
        var auditText = audit.ToString();

        Assert.Matches("^[0-9a-f]{64}$", secret);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Contains("\"events\":[\"session.ready\",\"session.failed\"]", listed, StringComparison.Ordinal);
        Assert.Equal(secret, revealed.GetProperty("secret").GetString());
        Assert.Equal("https://billing.example/v2", updated.GetProperty("url").GetString());
        Assert.Equal(["all"], updated.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(["webhook.created", "webhook.deleted", "webhook.secret-shown", "webhook.updated"], actions.Order());
        Assert.DoesNotContain(secret, auditText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditAViewerReads_ShowsAWebhooksSchemeAndHostOnly_NotTheTokenInItsPath_AndAPathChangeStillShows()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var viewer = await app.CreateClientWithRoleAsync("Viewer");
        const string Token = "tok-4f9c2e7a1b";
        var (id, _) = await admin.AddWebhookAsync($"https://billing.example/hooks/{Token}?key={Token}", ["all"]);
        (await admin.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { url = "https://billing.example/hooks/rotated-5d1e", events = "all" })).EnsureSuccessStatusCode();

        var audit = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=webhook&pageSize=200");
        var entries = audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("entityId").GetString() == $"{id}").ToList();
        var updated = entries.Single(e => e.GetProperty("action").GetString() == "webhook.updated");

        Assert.DoesNotContain(Token, audit.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("rotated", audit.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("url=https://billing.example/… (#", updated.GetProperty("before").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(updated.GetProperty("before").GetString(), updated.GetProperty("after").GetString());
        await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative));
    }
}
