using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Telemetry;

/// <summary>
/// The JSON log files: a session's lines (its requests to the real tgtd among them) carry its SessionId, and no secret GGnet
/// handles — CHAP secrets, API tokens, passwords — ever reaches them, at the most detailed level; an API request's lines
/// carry its path and id.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class LoggingTests(LoggingTests.App app) : IClassFixture<LoggingTests.App>
{
    [Fact]
    public async Task ASessionsLinesCarryItsId_AndNoSecretIsEverLogged()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next(), ipAddress = "10.99.0.61" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        (await admin.PutAsJsonAsync($"/api/v1/machines/{machineId}/chap", new { policy = "mutual" })).EnsureSuccessStatusCode();
        var sessionId = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(30));
        var chap = await (await admin.PostAsync(new Uri($"/api/v1/machines/{machineId}/chap/reveal", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        const string Password = "logged-never-1";
        (await admin.PostAsJsonAsync("/api/v1/users", new { username = TestNames.Unique("op"), password = Password, role = "Operator" })).EnsureSuccessStatusCode();
        var token = (await (await app.CreateAnonymousClient().PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetAppFactory.AdminPassword })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        var lines = await ReadLogAsync();

        var ofTheSession = lines.Where(l => l.TryGetProperty("SessionId", out var id) && id.GetInt32() == sessionId).ToList();
        Assert.Contains(ofTheSession, l => l.GetProperty("@mt").GetString()!.StartsWith("Sent tgtd ", StringComparison.Ordinal) && l.GetRawText().Contains("New Target", StringComparison.Ordinal));
        Assert.Contains(ofTheSession, l => l.GetRawText().Contains("New Account", StringComparison.Ordinal) && l.GetRawText().Contains("password=***", StringComparison.Ordinal));
        var everything = string.Join('\n', lines.Select(l => l.GetRawText()));
        foreach (var secret in new[] { chap.GetProperty("secret").GetString()!, chap.GetProperty("mutualSecret").GetString()!, token, Password, GGnetAppFactory.AdminPassword })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnApiRequestsLines_CarryItsPathAndId_TheLevelsOfAppSettingsHold_AndAspNetCoresLineForEachRequestIsOff()
    {
        using var admin = await app.CreateAdminClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("pc"), macAddress = TestMacs.Next(), ipAddress = "10.99.0.62" })).EnsureSuccessStatusCode();

        var lines = await ReadLogAsync();

        var ofTheRequest = lines.Where(l => l.TryGetProperty("RequestPath", out var path) && path.GetString() == "/api/v1/machines").ToList();
        Assert.NotEmpty(ofTheRequest);
        Assert.All(ofTheRequest, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("RequestId").GetString())));
        Assert.DoesNotContain(lines, l => l.TryGetProperty("SourceContext", out var source) && source.GetString() == GGnet.Web.Composition.RequestLogScope.HostingLogger);
        // appsettings.json keeps EF Core to warnings, more narrowly than this app's "everything from Microsoft".
        Assert.DoesNotContain(lines, l => l.TryGetProperty("SourceContext", out var source) && source.GetString()!.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            && !(l.TryGetProperty("@l", out var level) && level.GetString() is "Warning" or "Error" or "Fatal"));
    }

    private async Task<List<JsonElement>> ReadLogAsync()
    {
        var lines = new List<JsonElement>();
        foreach (var file in Directory.GetFiles(app.LogDirectory, "ggnet-*.log"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }
        Assert.NotEmpty(lines);
        return lines;
    }

    /// <summary>The session app logging everything, as JSON files in a folder of its own.</summary>
    public sealed class App : SessionAppFactory
    {
        private readonly TempDirectory _logs = new();

        public string LogDirectory => _logs.Path;

        protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Concat(
        [
            ("Logs:Directory", _logs.Path),
            ("Logs:Json", "true"),
            ("Logging:LogLevel:Default", "Trace"),
            ("Logging:LogLevel:Microsoft", "Trace"),
        ]);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _logs.Dispose();
        }
    }
}
