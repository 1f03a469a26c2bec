using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Backups;

/// <summary>
/// Backups as dated .tar.gz archives: a consistent copy of the database made while GGnet keeps running (SQLite's online
/// backup, or pg_dump's snapshot of PostgreSQL), the saved settings and the Data Protection keys. Each archive is written beside its final name and
/// renamed when complete, so a crash never leaves half an archive that looks whole.
/// </summary>
public sealed class ArchiveBackups(IOptions<BackupOptions> backup, IOptions<DatabaseOptions> database, ExternalCommand commands, TimeProvider clock) : IBackupArchive
{
    private string DataDirectory => Path.GetFullPath(database.Value.DataDirectory);

    private string Directory => backup.Value.Directory is { Length: > 0 } directory ? Path.GetFullPath(directory) : Path.Combine(DataDirectory, "backups");

    // An archive holds the keys that open every stored secret: the service user alone may read it, or list the folder.
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public async Task<BackupInfo> CreateAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory, OwnerOnlyFolder);
        // A folder made before archives were kept private, or by hand.
        File.SetUnixFileMode(Directory, OwnerOnlyFolder);
        var at = clock.GetUtcNow().UtcDateTime;
        var name = BackupFiles.Prefix + at.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + BackupFiles.Suffix;
        var staging = System.IO.Directory.CreateTempSubdirectory("ggnet-backup-");
        try
        {
            if (database.Value.Provider == DatabaseProvider.Postgres)
            {
                await DumpPostgresAsync(Path.Combine(staging.FullName, PostgresClient.DumpFile), cancellationToken);
            }
            else
            {
                CopyDatabase(Path.Combine(staging.FullName, BackupFiles.Database));
            }
            foreach (var settings in BackupFiles.Settings.Select(f => Path.Combine(DataDirectory, f)).Where(File.Exists))
            {
                File.Copy(settings, Path.Combine(staging.FullName, Path.GetFileName(settings)));
            }
            var keys = Path.Combine(DataDirectory, BackupFiles.Keys);
            if (System.IO.Directory.Exists(keys))
            {
                var copy = System.IO.Directory.CreateDirectory(Path.Combine(staging.FullName, BackupFiles.Keys));
                foreach (var key in System.IO.Directory.EnumerateFiles(keys))
                {
                    File.Copy(key, Path.Combine(copy.FullName, Path.GetFileName(key)));
                }
            }
            await File.WriteAllTextAsync(Path.Combine(staging.FullName, BackupFiles.Manifest),
                JsonSerializer.Serialize(new BackupManifest("GGnet", at, database.Value.Provider.ToString())), cancellationToken);

            var path = Path.Combine(Directory, name);
            var partial = path + ".partial";
            try
            {
                await using (var file = new FileStream(partial, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile }))
                await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
                {
                    await TarFile.CreateFromDirectoryAsync(staging.FullName, gzip, includeBaseDirectory: false, cancellationToken);
                }
                File.Move(partial, path);
            }
            catch (IOException full)
            {
                File.Delete(partial);
                throw new GGnet.Core.Errors.ConflictException($"The backup could not be written to {Directory}: {full.Message} Free some space there (or set Backup:Directory), then try again.");
            }
            return new BackupInfo(name, at, new FileInfo(path).Length);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    public IReadOnlyList<BackupInfo> List() => !System.IO.Directory.Exists(Directory)
        ? []
        : new DirectoryInfo(Directory).EnumerateFiles(BackupFiles.Prefix + "*" + BackupFiles.Suffix)
            .Where(f => BackupFiles.IsArchiveName(f.Name))
            .Select(f => new BackupInfo(f.Name, DateTime.ParseExact(f.Name[BackupFiles.Prefix.Length..^BackupFiles.Suffix.Length], "yyyyMMdd-HHmmss-fff",
                CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), f.Length))
            .OrderByDescending(b => b.At)
            .ToList();

    public void Delete(BackupInfo backup)
    {
        if (PathOf(backup.Name) is { } path)
        {
            File.Delete(path);
        }
    }

    public string? PathOf(string name) =>
        BackupFiles.IsArchiveName(name) && Path.Combine(Directory, name) is var path && File.Exists(path) ? path : null;

    // pg_dump reads one consistent snapshot while GGnet keeps writing; custom format, restored with pg_restore.
    private async Task DumpPostgresAsync(string destination, CancellationToken cancellationToken)
    {
        var dump = await commands.RunAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", destination], cancellationToken,
            TimeSpan.FromMinutes(30), PostgresClient.Environment(database.Value.ConnectionString!));
        if (!dump.Succeeded)
        {
            throw new GGnet.Core.Errors.ConflictException($"pg_dump could not back up the database: {dump.Explanation}");
        }
    }

    // SQLite's online backup: a consistent copy while GGnet keeps writing.
    private void CopyDatabase(string destination)
    {
        using var source = new SqliteConnection(database.Value.SqliteConnectionString);
        source.Open();
        using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        copy.Open();
        source.BackupDatabase(copy);
    }
}
