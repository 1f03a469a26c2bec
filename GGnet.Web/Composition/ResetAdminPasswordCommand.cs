using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Identity;

namespace GGnet.Web.Composition;

/// <summary>
/// <c>GGnet.Web reset-admin-password</c> (<c>deploy/run.sh --reset-admin-password</c>): a new generated password for
/// the <c>admin</c> account, printed on this console only, to be changed at the next login. GGnet may keep running.
/// </summary>
public static class ResetAdminPasswordCommand
{
    public const string Verb = "reset-admin-password";

    public static async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            await app.PrepareGGnetAsync();
            await using var scope = app.Services.CreateAsyncScope();
            var password = await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().ResetAdminAsync();
            var first = scope.ServiceProvider.GetRequiredService<FirstPassword>();
            await first.KeepAsync(password, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditEvent(scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, "console", AuditActions.UserPasswordReset,
                    "user", AdminBootstrapper.AdminUserName, null,
                    string.Create(CultureInfo.InvariantCulture, $"name={AdminBootstrapper.AdminUserName} (from the server's console)")),
                CancellationToken.None);
            Console.WriteLine($"GGnet: the '{AdminBootstrapper.AdminUserName}' account's password is now {password}. Log in with it; you choose your own right away.");
            return 0;
        }
        catch (Exception problem) when (problem is StartupException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync(problem.Message.StartsWith("GGnet can't", StringComparison.Ordinal) ? problem.Message : $"GGnet can't start: {problem.Message}");
            return 1;
        }
    }
}
