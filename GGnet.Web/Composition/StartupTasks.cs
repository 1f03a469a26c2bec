using GGnet.Infrastructure.Identity;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Web.Composition;

public static class StartupTasks
{
    /// <summary>Validates settings, migrates the database and makes sure an admin account exists — before serving anything.</summary>
    public static async Task PrepareGGnetAsync(this WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
            await using var scope = app.Services.CreateAsyncScope();
            var password = app.Configuration[AdminBootstrapper.PasswordVariable] ?? Environment.GetEnvironmentVariable(AdminBootstrapper.PasswordVariable);
            var generated = await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().EnsureAdminAsync(password);
            if (generated is not null)
            {
                // Printed once, on the console only: it is never stored in clear text.
                Console.WriteLine($"GGnet first run: log in as '{AdminBootstrapper.AdminUserName}' with password {generated}");
            }
        }
        catch (OptionsValidationException invalid)
        {
            throw new StartupException(string.Join('\n', invalid.Failures.Select(Readable)), invalid);
        }
        catch (AggregateException invalid) when (invalid.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw new StartupException(string.Join('\n', invalid.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Select(Readable)), invalid);
        }
        catch (InvalidOperationException problem) when (problem.Message.StartsWith("GGnet ", StringComparison.Ordinal))
        {
            throw new StartupException(problem.Message, problem);
        }
        catch (Exception problem) when (IsDatabaseUnreachable(problem))
        {
            var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            throw new StartupException($"the {database.Provider} database can't be opened ({problem.Message}). Check Database:ConnectionString and that the server is running.", problem);
        }
    }

    // "DataAnnotation validation failed for 'AuthOptions' members: 'X' with the error: 'The field X must be …'." → "Auth:X must be …".
    private static string Readable(string failure)
    {
        var match = System.Text.RegularExpressions.Regex.Match(failure, "^DataAnnotation validation failed for '(\\w+)' members: '(\\w+)' with the error: 'The field \\w+ (.*)'\\.$");
        if (!match.Success || SettingsCheck.Sections.FirstOrDefault(s => s.Options.Name == match.Groups[1].Value) is not { Section: { } section })
        {
            return failure;
        }
        return $"{section}:{match.Groups[2].Value} {match.Groups[3].Value}";
    }

    private static bool IsDatabaseUnreachable(Exception problem) =>
        problem is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or System.Net.Sockets.SocketException;
}
