using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;

namespace GGnet.Infrastructure.Backups;

/// <summary>
/// Puts a backup back into a data directory (GGnet stopped): the database, the settings and the keys. A directory that
/// already holds a database is left alone unless forced; then the old database is kept beside it, renamed.
/// </summary>
public static class BackupRestore
{
    // SQLite's write-ahead log and shared memory of the database being replaced: stale beside a restored file.
    private static readonly string[] Journals = ["-wal", "-shm"];

    public static async Task<string> RestoreAsync(string archive, string dataDirectory, bool force, CancellationToken cancellationToken)
    {
        if (!File.Exists(archive))
        {
            throw new RestoreException($"There is no backup at {archive}.");
        }
        var target = Path.GetFullPath(dataDirectory);
        var existing = Path.Combine(target, BackupFiles.Database);
        if (File.Exists(existing) && !force)
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
            if (!File.Exists(Path.Combine(staging.FullName, BackupFiles.Manifest)) || !File.Exists(Path.Combine(staging.FullName, BackupFiles.Database)))
            {
                throw new RestoreException($"{archive} is not a GGnet backup: it has no {BackupFiles.Manifest} and {BackupFiles.Database}.");
            }

            Directory.CreateDirectory(target);
            if (File.Exists(existing))
            {
                File.Move(existing, existing + ".before-restore-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
            }
            foreach (var journal in Journals.Select(s => existing + s).Where(File.Exists))
            {
                File.Delete(journal);
            }
            File.Move(Path.Combine(staging.FullName, BackupFiles.Database), existing);
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
}

/// <summary>A restore that can't go ahead, with the sentence that says why.</summary>
public sealed class RestoreException(string message) : Exception(message);
