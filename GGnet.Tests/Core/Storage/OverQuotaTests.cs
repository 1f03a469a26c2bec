using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Sessions;
using GGnet.Core.Storage;
using GGnet.Core.Webhooks;
using GGnet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Storage;

/// <summary>
/// The customer at seat 17 writes all over his disk: past his image's write quota his session is stopped, so the room
/// kept for the other seats stays theirs. An admin's maintenance session and a persistent PC's are only warned about.
/// </summary>
public sealed class OverQuotaTests
{
    private const long GiB = 1L << 30;
    private static readonly DateTime Start = new(2026, 12, 8, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ACustomersSessionPastItsQuota_IsStoppedOnce_WithTheReasonInTheAudit_OthersAreOnlyWarned()
    {
        var clock = new FakeTimeProvider(Start);
        var webhooks = new InMemoryWebhooks();
        var machines = new InMemoryMachineRepository();
        var images = new InMemoryImages();
        var sessions = new InMemorySessions(new AfterSessionCommit(new RecordingStatusNotifier(), new PublishWebhookEvents(webhooks, webhooks, clock), machines, images));
        var disks = new RecordingSessionParts();
        var version = images.Add("win11", "/images/win11.img");
        (await images.FindAsync(version.ImageId, CancellationToken.None))!.LimitSessionWrites(GiB);
        var seat17 = await RunningAsync(1, "seat-17", SessionType.Normal, persistent: false);
        var seat18 = await RunningAsync(2, "seat-18", SessionType.Normal, persistent: false);
        var maintenance = await RunningAsync(3, "admin-pc", SessionType.Maintenance, persistent: false);
        var staff = await RunningAsync(4, "staff-pc", SessionType.Normal, persistent: true);
        foreach (var (session, bytes) in new[] { (seat17, GiB + (8L << 20)), (seat18, GiB), (maintenance, 2 * GiB), (staff, 2 * GiB) })
        {
            disks.OwnBytes[session.Target!.LunPath] = bytes;
        }
        var pool = new RoomyStoragePool { Strategy = new CloneStrategyChoice(CloneStrategy.Copy, "full copies") };
        var measure = new MeasureSessionSpace(sessions, images, machines, disks, pool, new StopSession(sessions, sessions, clock), new RecordingStatusNotifier(),
            InMemoryNodes.Local, clock);

        // Where disks are full copies, what a session's disks take holds the images: no session is stopped for it.
        await measure.ExecuteAsync(CancellationToken.None);
        var stoppedWithCopies = sessions.TeardownsEnqueued.ToList();
        pool.Strategy = new CloneStrategyChoice(CloneStrategy.Reflink, "reflink clones");
        await measure.ExecuteAsync(CancellationToken.None);
        await measure.ExecuteAsync(CancellationToken.None);

        Assert.Empty(stoppedWithCopies);
        Assert.Equal([seat17.Id], sessions.TeardownsEnqueued);
        var stopped = (await sessions.FindAsync(seat17.Id, CancellationToken.None))!;
        Assert.Equal(SessionState.Stopping, stopped.State);
        Assert.All(new[] { seat18, maintenance, staff }, s => Assert.Equal(SessionState.Online, s.State));
        var stop = Assert.Single(sessions.Audit, a => a?.Action == "session.stop-requested");
        Assert.Equal("system", stop.Actor);
        Assert.Equal("wrote 1032 MiB, more than its image's write quota of 1024 MiB: stopped, so that the storage keeps room for the other PCs", stop.After);
        Assert.Equal(stop.After, stopped.StopReason);

        async Task<Session> RunningAsync(int id, string name, SessionType type, bool persistent)
        {
            var machine = new Machine(new MachineDetails(Hostname.Parse(name), MacAddress.Parse($"52:54:00:00:01:{id:x2}"), null, null, null, Firmware.Bios, null, true,
                Persistent: persistent), Start);
            await machines.AddAsync(machine, CancellationToken.None);
            var session = new Session(machine.Id, version.Id, type, InMemoryNodes.Local.Key, Start);
            session.AttachTarget(new Target(Iqn.Parse($"iqn.2024-01.net.ggnet:session.{id}"), $"/disks/session-{id}.img", IscsiBackendKind.Tgt, 1, null));
            session.MoveTo(SessionState.Online, Start);
            await sessions.AddAsync(session, _ => null!, CancellationToken.None);
            return session;
        }
    }
}
