using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// An admin manages the other users through the API: another role, a new password, disabled (tokens end at once,
/// no login) and enabled again, deleted; every change audited; never the last admin locked out of GGnet.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class UserAdministrationTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    private const string Password = "staff-pass-1";

    [Fact]
    public async Task Disabling_EndsTheUsersTokenAtOnce_AndRefusesTheirLogin_EnablingLetsThemBackIn()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (id, name) = await AddUserAsync(admin, "Operator");
        using var staff = await app.CreateClientAsAsync(name, Password);
        var before = await staff.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));

        var disabled = await (await admin.PostAsync(new Uri($"/api/v1/users/{id}/disable", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var tokenAfter = await staff.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));
        var loginAfter = await LoginAsync(name, Password);
        (await admin.PostAsync(new Uri($"/api/v1/users/{id}/enable", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var loginEnabled = await LoginAsync(name, Password);
        var audit = await admin.GetStringAsync(new Uri($"/api/v1/audit?entityType=user&pageSize=200", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, tokenAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, loginAfter);
        Assert.Equal(HttpStatusCode.OK, loginEnabled);
        Assert.Contains("user.disabled", audit, StringComparison.Ordinal);
        Assert.Contains("user.enabled", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherRole_TakesEffectAtOnce_ANewPasswordReplacesTheOld_AndDeletingEndsEverything()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (id, name) = await AddUserAsync(admin, "Operator");
        using var staff = await app.CreateClientAsAsync(name, Password);
        var (machineId, _) = (await AddMachineAsync(staff), 0);

        var role = await (await admin.PutAsJsonAsync($"/api/v1/users/{id}/role", new { role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        var asViewer = await staff.DeleteAsync(new Uri($"/api/v1/machines/{machineId}", UriKind.Relative));
        var reset = await admin.PostAsJsonAsync($"/api/v1/users/{id}/password", new { password = "brand-new-pass-2" });
        var oldPassword = await LoginAsync(name, Password);
        var newPassword = await LoginAsync(name, "brand-new-pass-2");
        var deleted = await admin.DeleteAsync(new Uri($"/api/v1/users/{id}", UriKind.Relative));
        var tokenAfterDelete = await staff.GetAsync(new Uri("/api/v1/machines", UriKind.Relative));
        var listed = await admin.GetStringAsync(new Uri("/api/v1/users", UriKind.Relative));
        var audit = await admin.GetStringAsync(new Uri($"/api/v1/audit?entityType=user&pageSize=200", UriKind.Relative));

        Assert.Equal("Viewer", role.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword);
        Assert.Equal(HttpStatusCode.OK, newPassword);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenAfterDelete.StatusCode);
        Assert.DoesNotContain(name, listed, StringComparison.Ordinal);
        Assert.Contains("user.role-changed", audit, StringComparison.Ordinal);
        Assert.Contains("user.password-reset", audit, StringComparison.Ordinal);
        Assert.Contains("user.deleted", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("brand-new-pass-2", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOnlyAdmin_CantBeDisabledDemotedOrDeleted_NorDeleteThemselves()
    {
        using var admin = await app.CreateAdminClientAsync();
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/users")).EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "admin").GetProperty("id").GetString();

        var disable = await admin.PostAsync(new Uri($"/api/v1/users/{adminId}/disable", UriKind.Relative), null);
        var demote = await admin.PutAsJsonAsync($"/api/v1/users/{adminId}/role", new { role = "Operator" });
        var delete = await admin.DeleteAsync(new Uri($"/api/v1/users/{adminId}", UriKind.Relative));
        var stillIn = await admin.GetAsync(new Uri("/api/v1/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        Assert.Contains("only admin", await disable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Theory]
    [InlineData("Operator")]
    [InlineData("Viewer")]
    public async Task NonAdmins_Get403_OnEveryUserRoute(string role)
    {
        using var admin = await app.CreateAdminClientAsync();
        var (id, _) = await AddUserAsync(admin, "Viewer");
        using var other = await app.CreateClientWithRoleAsync(role);

        var responses = new[]
        {
            await other.PutAsJsonAsync($"/api/v1/users/{id}/role", new { role = "Admin" }),
            await other.PostAsJsonAsync($"/api/v1/users/{id}/password", new { password = "taken-over-1" }),
            await other.PostAsync(new Uri($"/api/v1/users/{id}/disable", UriKind.Relative), null),
            await other.PostAsync(new Uri($"/api/v1/users/{id}/enable", UriKind.Relative), null),
            await other.DeleteAsync(new Uri($"/api/v1/users/{id}", UriKind.Relative)),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
    }

    private static async Task<(string Id, string Name)> AddUserAsync(HttpClient admin, string role)
    {
        var name = "staff-" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { username = name, password = Password, role });
        created.EnsureSuccessStatusCode();
        return ((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, name);
    }

    private static async Task<int> AddMachineAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("seat"), macAddress = TestMacs.Next() });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private async Task<HttpStatusCode> LoginAsync(string name, string password)
    {
        using var client = app.CreateAnonymousClient();
        return (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = name, password })).StatusCode;
    }
}
