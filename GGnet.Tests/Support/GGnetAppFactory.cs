using System.Net.Http.Headers;
using System.Net.Http.Json;
using GGnet.Infrastructure.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Support;

/// <summary>The whole app in-process on a fresh SQLite data directory, with a known admin password.</summary>
public class GGnetAppFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-pass-1";

    private readonly TempDirectory _data = new();

    public string DataDirectory => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", _data.Path);
        builder.UseSetting(AdminBootstrapper.PasswordVariable, AdminPassword);
        builder.UseSetting("Lab:Enabled", "false");
        // The test run's output stays readable: the app's own log shows warnings and errors (LoggingTests asks for all).
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(ReplaceServices);
    }

    /// <summary>Lets subclasses swap a real adapter for one that fails on demand.</summary>
    protected virtual void ReplaceServices(IServiceCollection services)
    {
    }

    /// <summary>More settings for subclasses, e.g. a boot network.</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings() => [];

    public HttpClient CreateAnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<HttpClient> CreateClientAsAsync(string userName, string password)
    {
        var client = CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = userName, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> CreateAdminClientAsync() => CreateClientAsAsync(AdminBootstrapper.AdminUserName, AdminPassword);

    /// <summary>Creates a user with the role through the API (as admin) and returns a client logged in as them.</summary>
    public async Task<HttpClient> CreateClientWithRoleAsync(string role)
    {
        using var admin = await CreateAdminClientAsync();
        var userName = role.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..6];
        const string Password = "role-pass-1";
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { username = userName, password = Password, role });
        created.EnsureSuccessStatusCode();
        return await CreateClientAsAsync(userName, Password);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }

    private sealed record TokenBody(string Token, DateTime ExpiresAt);
}

/// <summary>Tests that host the app share process-wide state (later Hangfire's): they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebAppTests
{
    public const string Name = "Web app";
}
