using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Backups;

/// <summary>Backups of a real PostgreSQL database with the real pg_dump, restored with pg_restore into another one.</summary>
public sealed class PostgresBackupTests
{
    [Fact]
    public async Task ABackupOfPostgres_RestoredIntoAnEmptyDatabase_HasEveryMachine_AndAFullOneIsReplacedOnlyWhenForced()
    {
        using var sourceData = new TempDirectory();
        using var targetData = new TempDirectory();
        var source = await TestDatabases.NewPostgresAsync();
        source.DataDirectory = sourceData.Path;
        var sourceFactory = await TestDatabases.MigratedAsync(source);
        await using (var db = await sourceFactory.CreateDbContextAsync())
        {
            foreach (var (name, mac) in new[] { ("pc-01", "52:54:00:aa:00:01"), ("pc-02", "52:54:00:aa:00:02") })
            {
                db.Machines.Add(new Machine(new MachineDetails(Hostname.Parse(name), MacAddress.Parse(mac), null, "seat 'A'; {x}", null, Firmware.Bios, null, true), DateTime.UtcNow));
            }
            await db.SaveChangesAsync();
        }
        Directory.CreateDirectory(Path.Combine(sourceData.Path, "keys"));
        await File.WriteAllTextAsync(Path.Combine(sourceData.Path, "keys", "key-1.xml"), "<key/>");
        var archives = new ArchiveBackups(Options.Create(new BackupOptions { Directory = Path.Combine(sourceData.Path, "backups") }), Options.Create(source),
            new ExternalCommand(NullLogger<ExternalCommand>.Instance), TimeProvider.System);
        var target = await TestDatabases.NewPostgresAsync();
        target.DataDirectory = targetData.Path;

        var backup = await archives.CreateAsync(CancellationToken.None);
        var archive = archives.PathOf(backup.Name)!;
        await BackupRestore.RestoreAsync(archive, target, force: false, CancellationToken.None);
        var again = await Assert.ThrowsAsync<RestoreException>(() => BackupRestore.RestoreAsync(archive, target, force: false, CancellationToken.None));
        await BackupRestore.RestoreAsync(archive, target, force: true, CancellationToken.None);
        var wrongKind = await Assert.ThrowsAsync<RestoreException>(() =>
            BackupRestore.RestoreAsync(archive, new DatabaseOptions { DataDirectory = targetData.Path }, force: true, CancellationToken.None));

        await using var restored = await ((IDbContextFactory<GGnetDbContext>)new GGnetDbContextFactory(Options.Create(target))).CreateDbContextAsync();
        Assert.Equal(["pc-01", "pc-02"], (await restored.Machines.ToListAsync()).Select(m => m.Name.Value).Order());
        Assert.All(await restored.Machines.ToListAsync(), m => Assert.Equal("seat 'A'; {x}", m.Description));
        Assert.Empty(await restored.Database.GetPendingMigrationsAsync());
        Assert.Contains("already holds tables", again.Message, StringComparison.Ordinal);
        Assert.Equal($"{archive} is a backup of a Postgres database, and GGnet here is set up for Sqlite (Database:Provider).", wrongKind.Message);
        Assert.Equal("<key/>", await File.ReadAllTextAsync(Path.Combine(targetData.Path, "keys", "key-1.xml")));
    }
}
