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
                await ShowFirstPasswordAsync(scope.ServiceProvider.GetRequiredService<FirstPassword>(), generated, app.Lifetime.ApplicationStopping);
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

    // Shown where the admin ran GGnet (run.sh's terminal), never in the journal: under systemd (JOURNAL_STREAM set)
    // the console line names the file only, which install.sh prints. The file goes when the admin chooses a password.
    private static async Task ShowFirstPasswordAsync(FirstPassword first, string generated, CancellationToken cancellationToken)
    {
        await first.KeepAsync(generated, cancellationToken);
        Console.WriteLine(FirstRunLine(generated, first.FilePath, toJournal: !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))));
    }

    /// <summary>The console line of a first run: with the password on a terminal, with the file's name only in the journal.</summary>
    public static string FirstRunLine(string generated, string file, bool toJournal) => toJournal
        ? $"GGnet first run: log in as '{AdminBootstrapper.AdminUserName}' with the password in {file} (readable by root and GGnet only); you choose your own at first login."
        : $"GGnet first run: log in as '{AdminBootstrapper.AdminUserName}' with password {generated} (also in {file} until you choose your own at first login).";

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
