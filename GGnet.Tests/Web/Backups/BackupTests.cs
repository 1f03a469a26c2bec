using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Core.Backups;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Backups;
using GGnet.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Backups;

/// <summary>Backups of the real SQLite database while GGnet runs, restored into a fresh data directory.</summary>
[Collection(WebAppTests.Name)]
public sealed class BackupTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task ABackupMadeWhileRunning_RestoredIntoAFreshDirectory_HasEveryMachineImageSessionAndAuditEvent_AndTheKeys()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("bak"));
        var machineId = (await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("bak"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var session = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(session, "ready");
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{session}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(session, "stopped");
        var source = Path.Combine(app.DataDirectory, "ggnet.db");
        var before = await ContentsAsync(source);

        var made = await admin.PostAsync(new Uri("/api/v1/backups", UriKind.Relative), null);
        var backup = await made.Content.ReadFromJsonAsync<JsonElement>();
        var name = backup.GetProperty("name").GetString()!;
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/backups");
        var download = await admin.GetAsync(new Uri($"/api/v1/backups/{name}", UriKind.Relative));
        var sneaky = await admin.GetAsync(new Uri("/api/v1/backups/..%2Fggnet.db", UriKind.Relative));
        using var fresh = new TempDirectory();
        var archive = app.Services.GetRequiredService<IBackupArchive>().PathOf(name)!;
        await BackupRestore.RestoreAsync(archive, fresh.Path, force: false, CancellationToken.None);
        var after = await ContentsAsync(Path.Combine(fresh.Path, "ggnet.db"));

        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        // It holds the keys to every stored secret: the service user alone reads the archive, or lists its folder.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(archive)!));
        Assert.Contains(listed.EnumerateArray(), b => b.GetProperty("name").GetString() == name);
        Assert.Equal("application/gzip", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(backup.GetProperty("bytes").GetInt64(), (await download.Content.ReadAsByteArrayAsync()).LongLength);
        Assert.Equal(HttpStatusCode.NotFound, sneaky.StatusCode);
        Assert.Equal(before.Machines, after.Machines);
        Assert.Equal(before.Images, after.Images);
        Assert.Equal(before.Sessions, after.Sessions);
        Assert.Contains(session, after.Sessions);
        Assert.True(after.AuditEvents >= before.AuditEvents, $"{after.AuditEvents} audit events restored, {before.AuditEvents} before the backup");
        Assert.Equal(Directory.GetFiles(Path.Combine(app.DataDirectory, "keys")).Select(Path.GetFileName).Order(),
            Directory.GetFiles(Path.Combine(fresh.Path, "keys")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Restore_OverAnExistingDatabase_IsRefusedWithASentence_AndForcedKeepsTheOldOneBeside()
    {
        var archive = await app.Services.GetRequiredService<IBackupArchive>().CreateAsync(CancellationToken.None);
        var path = app.Services.GetRequiredService<IBackupArchive>().PathOf(archive.Name)!;
        using var target = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(target.Path, "ggnet.db"), "the database that was there");
        using var notABackup = new TempDirectory();
        var bogus = Path.Combine(notABackup.Path, "ggnet-20260101-000000-000.tar.gz");
        await File.WriteAllTextAsync(bogus, "not an archive");

        var refused = await Assert.ThrowsAsync<RestoreException>(() => BackupRestore.RestoreAsync(path, target.Path, force: false, CancellationToken.None));
        var broken = await Assert.ThrowsAsync<RestoreException>(() => BackupRestore.RestoreAsync(bogus, notABackup.Path, force: false, CancellationToken.None));
        await BackupRestore.RestoreAsync(path, target.Path, force: true, CancellationToken.None);

        Assert.Contains("already holds a GGnet database", refused.Message, StringComparison.Ordinal);
        Assert.Contains("run again with --force", refused.Message, StringComparison.Ordinal);
        Assert.Contains("is not a GGnet backup", broken.Message, StringComparison.Ordinal);
        var kept = Assert.Single(Directory.GetFiles(target.Path, "ggnet.db.before-restore-*"));
        Assert.Equal("the database that was there", await File.ReadAllTextAsync(kept));
        Assert.NotEqual("the database that was there", await File.ReadAllTextAsync(Path.Combine(target.Path, "ggnet.db")));
    }

    [Fact]
    public async Task TheRestoreCommand_PutsABackupIntoADataDirectory_AndRefusesToOverwriteWithoutForce()
    {
        var archive = app.Services.GetRequiredService<IBackupArchive>();
        var path = archive.PathOf((await archive.CreateAsync(CancellationToken.None)).Name)!;
        using var target = new TempDirectory();

        var first = await RestoreCommandAsync(path, "--data", target.Path);
        var second = await RestoreCommandAsync(path, "--data", target.Path);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"Restored {path} into {target.Path}. Start GGnet.", first.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(target.Path, "ggnet.db")));
        Assert.Equal(1, second.ExitCode);
        Assert.StartsWith("GGnet can't restore: ", second.StandardError, StringComparison.Ordinal);
        Assert.Contains("--force", second.StandardError, StringComparison.Ordinal);
    }

    // The published app's own verb, as deploy/restore.sh runs it.
    private static Task<CliWrap.Buffered.BufferedCommandResult> RestoreCommandAsync(params string[] arguments) =>
        CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(CliWrap.Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "GGnet.Web.dll"), "restore", .. arguments])
            .WithWorkingDirectory(AppContext.BaseDirectory)
            .WithValidation(CliWrap.CommandResultValidation.None));

    [Fact]
    public async Task ABackupToAFullDisk_IsRefusedWithWhatToDo_AndLeavesNoPartialArchive()
    {
        using var folder = new TempDirectory();
        await using var tiny = await Tmpfs.MountAsync(folder.Path, "64k");
        await tiny.FillUpAsync();
        var database = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GGnet.Infrastructure.Persistence.DatabaseOptions>>();
        var archives = new ArchiveBackups(Microsoft.Extensions.Options.Options.Create(new BackupOptions { Directory = tiny.Path }), database,
            app.Services.GetRequiredService<GGnet.Infrastructure.Processes.ExternalCommand>(), TimeProvider.System);

        var refused = await Assert.ThrowsAsync<GGnet.Core.Errors.ConflictException>(() => archives.CreateAsync(CancellationToken.None));

        Assert.StartsWith($"The backup could not be written to {tiny.Path}: ", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Free some space there (or set Backup:Directory), then try again.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["filler"], Directory.GetFiles(tiny.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task BackUp_KeepsOnlyTheNewest_AndAuditsEach()
    {
        var archive = app.Services.GetRequiredService<IBackupArchive>();
        var backUp = new BackUp(archive, new BackupRetention(2), app.Services.GetRequiredService<IAuditLog>(), TimeProvider.System);

        var made = new List<BackupInfo>();
        for (var i = 0; i < 3; i++)
        {
            made.Add(await backUp.ExecuteAsync("alice", CancellationToken.None));
            await Task.Delay(5);
        }
        var audit = await app.Services.GetRequiredService<IAuditLog>().ListAsync(new GGnet.Core.Audit.AuditQuery(new GGnet.Core.Common.PageRequest(1, 500), "alice", "backup", null), CancellationToken.None);

        Assert.Equal(made.Skip(1).Reverse().Select(b => b.Name), archive.List().Select(b => b.Name));
        Assert.True(audit.Items.Count(e => e.Action == "backup.created") >= 3);
    }

    // What the database holds, read with plain SQLite: machine names, image names, session ids, audit event count.
    private static async Task<(List<string> Machines, List<string> Images, List<int> Sessions, long AuditEvents)> ContentsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        async Task<List<T>> ReadAsync<T>(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var values = new List<T>();
            while (await reader.ReadAsync())
            {
                values.Add(reader.GetFieldValue<T>(0));
            }
            return values;
        }
        return (await ReadAsync<string>("SELECT Name FROM Machines ORDER BY Name"), await ReadAsync<string>("SELECT Name FROM Images ORDER BY Name"),
            await ReadAsync<int>("SELECT Id FROM Sessions ORDER BY Id"), (await ReadAsync<long>("SELECT COUNT(*) FROM AuditEvents"))[0]);
    }
}
