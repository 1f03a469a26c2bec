using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Infrastructure.Persistence;
using Npgsql;

namespace GGnet.Infrastructure.Backups;

/// <summary>
/// Puts a backup back (GGnet stopped): the database, the settings and the keys. A database that is already there is left
/// alone unless forced; then an old SQLite file is kept beside, renamed, and a PostgreSQL database is replaced by pg_restore.
/// </summary>
public static class BackupRestore
{
    // SQLite's write-ahead log and shared memory of the database being replaced: stale beside a restored file.
    private static readonly string[] Journals = ["-wal", "-shm"];

    public static Task<string> RestoreAsync(string archive, string dataDirectory, bool force, CancellationToken cancellationToken) =>
        RestoreAsync(archive, new DatabaseOptions { DataDirectory = dataDirectory }, force, cancellationToken);

    public static async Task<string> RestoreAsync(string archive, DatabaseOptions database, bool force, CancellationToken cancellationToken)
    {
        var dataDirectory = database.DataDirectory;
        if (!File.Exists(archive))
        {
            throw new RestoreException($"There is no backup at {archive}.");
        }
        var target = Path.GetFullPath(dataDirectory);
        var existing = Path.Combine(target, BackupFiles.Database);
        if (database.Provider == DatabaseProvider.Sqlite && File.Exists(existing) && !force)
        {
            throw new RestoreException($"{target} already holds a GGnet database. Stop GGnet and run again with --force to replace it (the old one is kept as ggnet.db.before-restore-<time>).");
        }
        var staging = Directory.CreateTempSubdirectory("ggnet-restore-");
        try
        {
            try
            {
                await using var file = File.OpenRead(archive);
                await using var gzip = new GZipStream(file, CompressionMode.Decompress);
                // Extraction refuses entries that would land outside the staging folder.
                await TarFile.ExtractToDirectoryAsync(gzip, staging.FullName, overwriteFiles: false, cancellationToken);
            }
            catch (Exception broken) when (broken is InvalidDataException or IOException or FormatException)
            {
                throw new RestoreException($"{archive} is not a GGnet backup that can be read: {broken.Message}");
            }
            var manifest = await ManifestAsync(archive, staging.FullName, cancellationToken);
            if (!string.Equals(manifest.Provider, database.Provider.ToString(), StringComparison.Ordinal))
            {
                throw new RestoreException($"{archive} is a backup of a {manifest.Provider} database, and GGnet here is set up for {database.Provider} (Database:Provider).");
            }
            foreach (var settings in BackupFiles.Settings.Select(f => Path.Combine(staging.FullName, f)).Where(File.Exists))
            {
                if (ForbiddenIn(settings) is { Count: > 0 } forbidden)
                {
                    throw new RestoreException($"{archive} was changed after GGnet made it: its {Path.GetFileName(settings)} sets {string.Join(", ", forbidden)}, " +
                        "which that file never holds (it keeps only what the Settings page saves). Nothing was restored. Use another backup.");
                }
            }
            Directory.CreateDirectory(target);
            if (database.Provider == DatabaseProvider.Postgres)
            {
                await RestorePostgresAsync(archive, Path.Combine(staging.FullName, PostgresClient.DumpFile), database.ConnectionString!, force, cancellationToken);
            }
            else
            {
                RestoreSqlite(archive, Path.Combine(staging.FullName, BackupFiles.Database), existing);
            }
            foreach (var settings in BackupFiles.Settings.Where(f => File.Exists(Path.Combine(staging.FullName, f))))
            {
                File.Move(Path.Combine(staging.FullName, settings), Path.Combine(target, settings), overwrite: true);
            }
            var keys = Path.Combine(staging.FullName, BackupFiles.Keys);
            if (Directory.Exists(keys))
            {
                var targetKeys = Directory.CreateDirectory(Path.Combine(target, BackupFiles.Keys));
                foreach (var key in Directory.EnumerateFiles(keys))
                {
                    File.Move(key, Path.Combine(targetKeys.FullName, Path.GetFileName(key)), overwrite: true);
                }
            }
            return target;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<string> ForbiddenIn(string settings)
    {
        try
        {
            return DataDirectorySettings.Forbidden(settings);
        }
        catch (Exception unreadable) when (unreadable is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            return [$"something unreadable ({unreadable.Message})"];
        }
    }

    private static async Task<BackupManifest> ManifestAsync(string archive, string staging, CancellationToken cancellationToken)
    {
        var path = Path.Combine(staging, BackupFiles.Manifest);
        BackupManifest? manifest = null;
        if (File.Exists(path))
        {
            try
            {
                manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, cancellationToken));
            }
            catch (JsonException)
            {
            }
        }
        return manifest is { MadeBy: "GGnet" }
            ? manifest
            : throw new RestoreException($"{archive} is not a GGnet backup: it has no readable {BackupFiles.Manifest}.");
    }

    private static void RestoreSqlite(string archive, string restored, string existing)
    {
        if (!File.Exists(restored))
        {
            throw new RestoreException($"{archive} is not a GGnet backup: it has no {BackupFiles.Database}.");
        }
        var kept = existing + ".before-restore-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        if (File.Exists(existing))
        {
            File.Move(existing, kept);
        }
        // The old database's write-ahead log goes along with it: beside the restored file it would be read as the restored one's.
        foreach (var suffix in Journals.Where(s => File.Exists(existing + s)))
        {
            File.Move(existing + suffix, kept + suffix);
        }
        File.Move(restored, existing);
    }

    // pg_restore into the configured database, in one transaction: it either holds the backup afterwards or is unchanged.
    private static async Task RestorePostgresAsync(string archive, string dump, string connectionString, bool force, CancellationToken cancellationToken)
    {
        if (!File.Exists(dump))
        {
            throw new RestoreException($"{archive} is not a GGnet backup: it has no {PostgresClient.DumpFile}.");
        }
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            if ((long)(await tables.ExecuteScalarAsync(cancellationToken))! > 0 && !force)
            {
                throw new RestoreException($"The database {connection.Database} already holds tables. Stop GGnet and run again with --force to replace them with the backup.");
            }
        }
        var restore = await Cli.Wrap("pg_restore")
            .WithArguments(["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--dbname", new NpgsqlConnectionStringBuilder(connectionString).Database!, dump])
            .WithEnvironmentVariables(PostgresClient.Environment(connectionString))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (restore.ExitCode != 0)
        {
            throw new RestoreException($"pg_restore could not restore {archive}: {restore.StandardError.Trim()}");
        }
    }
}

/// <summary>A restore that can't go ahead, with the sentence that says why.</summary>
public sealed class RestoreException(string message) : Exception(message);
