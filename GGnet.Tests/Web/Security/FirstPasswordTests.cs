using System.Net;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using System.Net.Http.Json;
using GGnet.Infrastructure.Identity;
using GGnet.Tests.Support;
using GGnet.Web.Composition;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// The admin password GGnet generates on its first run: kept for the admin in a file only the service user reads,
/// never in the journal, and good for nothing but choosing his own at the first login.
/// </summary>
public sealed class FirstPasswordTests
{
    [Fact]
    public async Task TheGeneratedPassword_IsInAnOwnerOnlyFile_MustBeChanged_AndTheFileGoesWhenItIs()
    {
        await using var app = new FirstRunApp();
        using var client = app.CreateAnonymousClient();
        var file = Path.Combine(app.DataDirectory, FirstPassword.FileName);

        var generated = (await File.ReadAllTextAsync(file)).Trim();
        var mode = File.GetUnixFileMode(file);
        var tokenRefused = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = generated });
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().ChangePasswordAsync("admin", generated, "my-own-pass-9", CancellationToken.None);
        }
        var tokenAfter = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "my-own-pass-9" });
        bool stillMarked;
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<GGnetUser>>();
            stillMarked = (await users.GetClaimsAsync((await users.FindByNameAsync("admin"))!)).Any(c => c.Type == FirstPassword.ClaimType);
        }

        Assert.Equal(22, generated.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(HttpStatusCode.Conflict, tokenRefused.StatusCode);
        Assert.Contains("Choose your own password", await tokenRefused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tokenAfter.StatusCode);
        Assert.False(stillMarked);
        Assert.False(File.Exists(file), "the generated password outlived the admin's own");
    }

    [Fact]
    public void TheConsoleLine_ShowsThePasswordOnATerminal_AndOnlyTheFilesNameInTheJournal()
    {
        var toJournal = StartupTasks.FirstRunLine("Secret-123-abc", "/var/lib/ggnet/first-admin-password", toJournal: true);
        var toTerminal = StartupTasks.FirstRunLine("Secret-123-abc", "/var/lib/ggnet/first-admin-password", toJournal: false);

        Assert.DoesNotContain("Secret-123-abc", toJournal, StringComparison.Ordinal);
        Assert.Contains("/var/lib/ggnet/first-admin-password", toJournal, StringComparison.Ordinal);
        Assert.Contains("Secret-123-abc", toTerminal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChosenFirstPassword_NeedsNoChange_AndLeavesNoFile()
    {
        await using var app = new GGnetAppFactory();
        using var admin = await app.CreateAdminClientAsync();

        Assert.False(File.Exists(Path.Combine(app.DataDirectory, FirstPassword.FileName)));
    }

    [Fact]
    public async Task ResetAdminPassword_OnTheServersConsole_GivesANewPasswordToChange_AndTheOldOneStopsWorking()
    {
        using var files = new TempDirectory();
        var data = Path.Combine(files.Path, "data");
        await using (var first = new GGnetProcess(data, [("Lab:Enabled", "false")]))
        {
            await first.StartAsync();
        }

        var reset = await Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "GGnet.Web.dll"), ResetAdminPasswordCommand.Verb])
            .WithWorkingDirectory(AppContext.BaseDirectory)
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["GGNET__Database__DataDirectory"] = data, ["GGNET__Lab__Enabled"] = "false" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var password = Regex.Match(reset.StandardOutput, @"password is now (\S+)\. ").Groups[1].Value;
        await using var app = new GGnetProcess(data, [("Lab:Enabled", "false")]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var withNew = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password });
        var withOld = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = GGnetProcess.AdminPassword });

        Assert.True(reset.ExitCode == 0, reset.StandardError);
        Assert.Equal(22, password.Length);
        Assert.Equal(password, (await File.ReadAllTextAsync(Path.Combine(data, FirstPassword.FileName))).Trim());
        // Right, but to be changed first: the login page asks for an own password before anything else.
        Assert.Equal(HttpStatusCode.Conflict, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
    }

    // A first run without GGNET_ADMIN_PASSWORD: GGnet generates the admin's password.
    private sealed class FirstRunApp : GGnetAppFactory
    {
        protected override IEnumerable<(string Key, string Value)> Settings() => [(AdminBootstrapper.PasswordVariable, "")];
    }
}
