using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Persistence;

namespace GGnet.Web.Composition;

/// <summary>
/// <c>GGnet.Web restore ARCHIVE [--data DIR] [--force]</c>: puts a backup back, with GGnet stopped, into the configured
/// database (SQLite in the data directory, or PostgreSQL) and data directory (unless given).
/// </summary>
public static class RestoreCommand
{
    public const string Verb = "restore";

    private const string Usage = "Usage: GGnet.Web restore ARCHIVE [--data DIR] [--force]";

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        string? archive = null;
        var database = DatabaseOptions.From(configuration);
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--force":
                    force = true;
                    break;
                case "--data" when i + 1 < args.Length:
                    database.DataDirectory = args[++i];
                    break;
                case var path when archive is null && !path.StartsWith("--", StringComparison.Ordinal):
                    archive = path;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }
        if (archive is null)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        try
        {
            var target = await BackupRestore.RestoreAsync(archive, database, force, CancellationToken.None);
            Console.WriteLine($"Restored {archive} into {target}. Start GGnet.");
            return 0;
        }
        catch (RestoreException refused)
        {
            await Console.Error.WriteLineAsync($"GGnet can't restore: {refused.Message}");
            return 1;
        }
    }
}
