using GGnet.Core.Domain.Machines;
using GGnet.Core.Machines;
using GGnet.Core.Webhooks;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Persistence.Repositories;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Infrastructure.Persistence;

/// <summary>The boot observer's look for PCs on their way up: the machines whose last boot stage is a lease or a script, and no other.</summary>
public sealed class MachineBootStageQueryTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Sqlite_TheMachinesInTheStagesAskedFor_AreFound_AndNoOther()
    {
        using var data = new TempDirectory();
        await AssertFoundByStageAsync(TestDatabases.NewSqlite(data));
    }

    [Fact]
    public async Task Postgres_TheMachinesInTheStagesAskedFor_AreFound_AndNoOther()
    {
        await AssertFoundByStageAsync(await TestDatabases.NewPostgresAsync());
    }

    private static async Task AssertFoundByStageAsync(DatabaseOptions options)
    {
        var factory = await TestDatabases.MigratedAsync(options);
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Machines.AddRange(
                InStage("pc-01", BootStage.DhcpLease),
                InStage("pc-02", BootStage.ScriptFetched),
                InStage("pc-03", BootStage.Online),
                InStage("pc-04", BootStage.Offline),
                BootSamples.Machine(0, "pc-05", "52:54:00:dd:00:05"));
            await db.SaveChangesAsync();
        }
        var machines = new MachineRepository(factory,
            new AfterMachineCommit(new CountingBootSyncTrigger(), new RecordingStatusNotifier(), new PublishWebhookEvents(new InMemoryWebhooks(), new InMemoryWebhooks(), TimeProvider.System)),
            NullLogger<MachineRepository>.Instance);

        var booting = await machines.FindInBootStagesAsync([BootStage.DhcpLease, BootStage.ScriptFetched], CancellationToken.None);
        var online = await machines.FindInBootStagesAsync([BootStage.Online], CancellationToken.None);

        Assert.Equal(["pc-01", "pc-02"], booting.Select(m => m.Name.Value).Order(StringComparer.Ordinal));
        Assert.Equal(Now, booting.Single(m => m.Name.Value == "pc-01").BootStageChangedAt);
        Assert.Equal(["pc-03"], online.Select(m => m.Name.Value));
    }

    private static Machine InStage(string name, BootStage stage)
    {
        var machine = BootSamples.Machine(0, name, $"52:54:00:dd:00:{name[^2..]}");
        machine.ObserveBootStage(stage, Now);
        return machine;
    }
}
