using GGnet.Core.Domain;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Tests.Infrastructure.Persistence;

/// <summary>
/// What the boot observer asks between its full looks at a hall: whether any session is on its way up (Booting, Online
/// before the OS took over, Ready with a lease or a script of the PC's since), each PC's alone; none of the rest counts: not
/// the PCs whose last stage, a lease or a script, came before their session was Ready (a hall of PCs left waiting at their
/// firmware's prompt).
/// </summary>
public sealed class SessionsOnTheirWayUpQueryTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Sqlite_TheSessionsOnTheirWayUp_Count_AndNoOther()
    {
        using var data = new TempDirectory();
        await AssertReadAsync(TestDatabases.NewSqlite(data));
    }

    [Fact]
    public async Task Postgres_TheSessionsOnTheirWayUp_Count_AndNoOther()
    {
        await AssertReadAsync(await TestDatabases.NewPostgresAsync());
    }

    private static async Task AssertReadAsync(DatabaseOptions options)
    {
        var factory = await TestDatabases.MigratedAsync(options);
        // PC name → its last boot stage and how long ago, its session's state (since 5 minutes ago), whether its OS took over,
        // whether it has a target.
        (string Pc, BootStage Stage, int StageMinutesAgo, SessionState State, bool OsUp, bool Target)[] hall =
        [
            ("pc-01", BootStage.DhcpLease, 0, SessionState.Booting, false, true),
            ("pc-02", BootStage.Online, 0, SessionState.Online, false, true),
            ("pc-03", BootStage.Online, 0, SessionState.Online, true, true),
            ("pc-04", BootStage.DhcpLease, 0, SessionState.Ready, false, true),
            ("pc-05", BootStage.ScriptFetched, 0, SessionState.Ready, false, true),
            ("pc-06", BootStage.Offline, 0, SessionState.Ready, false, true),
            ("pc-07", BootStage.DhcpLease, 0, SessionState.Stopped, false, true),
            ("pc-08", BootStage.DhcpLease, 0, SessionState.Provisioning, false, false),
            ("pc-09", BootStage.DhcpLease, 10, SessionState.Ready, false, true),
            ("pc-10", BootStage.ScriptFetched, 10, SessionState.Ready, false, true),
        ];
        await using (var db = await factory.CreateDbContextAsync())
        {
            var image = new Image("win11", null, "test-node", Now);
            db.Images.Add(image);
            await db.SaveChangesAsync();
            var version = new ImageVersion(image.Id, 1, DiskFormat.Raw, 4 << 20, "/var/lib/ggnet/images/win11/1.img", Now);
            db.ImageVersions.Add(version);
            await db.SaveChangesAsync();
            foreach (var (pc, stage, stageMinutesAgo, state, osUp, target) in hall)
            {
                var machine = BootSamples.Machine(0, pc, $"52:54:00:ee:00:{pc[^2..]}");
                machine.ObserveBootStage(stage, Now.AddMinutes(-stageMinutesAgo));
                db.Machines.Add(machine);
                await db.SaveChangesAsync();
                var session = new Session(machine.Id, version.Id, SessionType.Normal, "test-node", Now.AddMinutes(-5));
                if (target)
                {
                    session.AttachTarget(new Target(Iqn.Parse($"iqn.2024-01.net.ggnet:session.{pc}"), $"/var/lib/ggnet/disks/{pc}.img", IscsiBackendKind.Tgt, 1, null));
                }
                session.MoveTo(state, Now.AddMinutes(-5));
                if (osUp)
                {
                    session.ObserveOsTookOver(Now);
                }
                db.Sessions.Add(session);
                await db.SaveChangesAsync();
            }
        }

        // Each PC's session alone in its state, every other one Stopped: is anyone on the way up?
        var sessions = TestDatabases.SessionsOn(factory);
        var machineNames = await MachineNamesAsync(factory);
        var onTheirWayUp = new List<string>();
        foreach (var (pc, _, _, state, _, _) in hall)
        {
            await using (var db = await factory.CreateDbContextAsync())
            {
                var id = machineNames.Single(m => m.Value == pc).Key;
                await db.Sessions.Where(s => s.MachineId != id).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SessionState.Stopped));
                await db.Sessions.Where(s => s.MachineId == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, state));
            }
            if (await sessions.AnyOnTheirWayUpAsync(CancellationToken.None))
            {
                onTheirWayUp.Add(pc);
            }
        }

        Assert.Equal(["pc-01", "pc-02", "pc-04", "pc-05"], onTheirWayUp);
    }

    private static async Task<Dictionary<int, string>> MachineNamesAsync(IDbContextFactory<GGnetDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return db.Machines.AsEnumerable().ToDictionary(m => m.Id, m => m.Name.Value);
    }
}
