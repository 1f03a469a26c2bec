using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Infrastructure.Persistence;

/// <summary>The same migrations-and-round-trip checks against the embedded SQLite and a real PostgreSQL server.</summary>
public abstract class MigrationTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    protected abstract Task<DatabaseOptions> CreateDatabaseAsync();

    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesEveryMigration()
    {
        var factory = await MigratedFactoryAsync();

        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Migrate_Twice_KeepsTheDataAndLeavesNothingPending()
    {
        var options = await CreateDatabaseAsync();
        var factory = await TestDatabases.MigratedAsync(options);
        var (machineId, _) = await SeedMachineAndImageAsync(factory);
        await using (var before = await factory.CreateDbContextAsync())
        {
            Assert.NotEmpty(await before.Database.GetAppliedMigrationsAsync());
        }

        await TestDatabases.MigratedAsync(options);

        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal("pc-01", (await db.Machines.SingleAsync(m => m.Id == machineId)).Name.ToString());
    }

    [Fact]
    public async Task Machine_RoundTrip_KeepsValueObjectsAndTimes()
    {
        var factory = await MigratedFactoryAsync();
        var machine = new Machine(
            new MachineDetails(Hostname.Parse("pc-01"), MacAddress.Parse("aa:bb:cc:00:00:01"), Ipv4Address.Parse("10.99.0.10"),
                "corner \"seat\"; {x}", null, Firmware.Uefi, Iqn.Parse("iqn.2024-01.net.ggnet:pc-01"), true),
            Now);
        machine.ObserveBootStage(BootStage.ScriptFetched, Now.AddMinutes(1));

        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Machines.Add(machine);
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            var loaded = await db.Machines.SingleAsync(m => m.MacAddress == MacAddress.Parse("AA-BB-CC-00-00-01"));
            Assert.Equal("pc-01", loaded.Name.Value);
            Assert.Equal("10.99.0.10", loaded.IpAddress!.Value);
            Assert.Equal("corner \"seat\"; {x}", loaded.Description);
            Assert.Equal(Firmware.Uefi, loaded.Firmware);
            Assert.Equal("iqn.2024-01.net.ggnet:pc-01", loaded.InitiatorIqn!.Value);
            Assert.Equal(BootStage.ScriptFetched, loaded.BootStage);
            Assert.Equal(Now.AddMinutes(1), loaded.LastSeen);
            Assert.Equal(DateTimeKind.Utc, loaded.CreatedAt.Kind);
        }
    }

    [Fact]
    public async Task Machine_DuplicateMac_IsRefusedByTheDatabase()
    {
        var factory = await MigratedFactoryAsync();
        await using var db = await factory.CreateDbContextAsync();
        db.Machines.Add(NewMachine("pc-01", "aa:bb:cc:00:00:01"));
        db.Machines.Add(NewMachine("pc-02", "aa:bb:cc:00:00:01"));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Session_SecondActiveOnSameMachine_IsRefusedByTheDatabase()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);

        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Sessions.Add(new Session(machineId, versionId, SessionType.Normal, "test-node", Now));
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Sessions.Add(new Session(machineId, versionId, SessionType.Maintenance, "test-node", Now));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task Session_NewOneAfterPreviousEnded_IsAllowed()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);

        await using (var db = await factory.CreateDbContextAsync())
        {
            var first = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
            first.MoveTo(SessionState.Stopped, Now.AddHours(1));
            var second = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
            second.Fail("The disk could not be cloned.", Now.AddHours(2));
            db.Sessions.AddRange(first, second);
            db.Sessions.Add(new Session(machineId, versionId, SessionType.Normal, "test-node", Now.AddHours(3)));
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(3, await db.Sessions.CountAsync(s => s.MachineId == machineId));
            Assert.Equal(1, await db.Sessions.CountAsync(s => s.MachineId == machineId && s.State == SessionState.Pending));
        }
    }

    [Fact]
    public async Task Session_WithTarget_RoundTrips()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);

        await using (var db = await factory.CreateDbContextAsync())
        {
            var session = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
            session.AttachTarget(new Target(Iqn.Parse("iqn.2024-01.net.ggnet:session-1"), "/var/lib/ggnet/disks/1.img", IscsiBackendKind.Lio, 0, null));
            db.Sessions.Add(session);
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            var loaded = await db.Sessions.Include(s => s.Target).SingleAsync();
            Assert.Equal("iqn.2024-01.net.ggnet:session-1", loaded.Target!.Iqn.Value);
            Assert.Equal(IscsiBackendKind.Lio, loaded.Target.Backend);
            Assert.Equal(0, loaded.Target.Lun);
        }
    }

    [Fact]
    public async Task ObservedState_FromAReadOlderThanAStop_IsNotSaved_AndTheStopStays()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        var repository = TestDatabases.SessionsOn(factory);
        var session = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
        session.MoveTo(SessionState.Ready, Now);
        await repository.AddAsync(session, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        var observed = (await repository.FindAsync(session.Id, CancellationToken.None))!;
        var stopping = (await repository.FindAsync(session.Id, CancellationToken.None))!;
        stopping.MoveTo(SessionState.Stopping, Now.AddSeconds(1));
        await repository.SaveAsync(stopping, null, CancellationToken.None);

        observed.MoveTo(SessionState.Booting, Now.AddSeconds(2));
        var saved = await repository.SaveStateIfStillAsync(observed, SessionState.Ready, CancellationToken.None);
        var afterStop = await repository.FindAsync(session.Id, CancellationToken.None);
        stopping.MoveTo(SessionState.Stopped, Now.AddSeconds(3));
        await repository.SaveAsync(stopping, null, CancellationToken.None);
        var next = new Session(machineId, versionId, SessionType.Normal, "test-node", Now.AddSeconds(4));
        next.MoveTo(SessionState.Ready, Now.AddSeconds(4));
        await repository.AddAsync(next, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "2", null, null), CancellationToken.None);
        next.MoveTo(SessionState.Online, Now.AddSeconds(5));
        var savedWhileUnchanged = await repository.SaveStateIfStillAsync(next, SessionState.Ready, CancellationToken.None);
        var online = await repository.FindAsync(next.Id, CancellationToken.None);

        Assert.False(saved);
        Assert.Equal(SessionState.Stopping, afterStop!.State);
        Assert.True(savedWhileUnchanged);
        Assert.Equal(SessionState.Online, online!.State);
        Assert.Equal(Now.AddSeconds(5), online.OnlineAt);
    }

    [Fact]
    public async Task Ready_AfterAStopSavedMeanwhile_IsNotSaved_NorItsTarget_WhichTheProvisioningTakesBack()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        var repository = TestDatabases.SessionsOn(factory);
        var stoppedOne = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
        await repository.AddAsync(stoppedOne, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        await repository.ClaimForProvisioningAsync([stoppedOne.Id], Now, CancellationToken.None);
        var provisioning = (await repository.FindAsync(stoppedOne.Id, CancellationToken.None))!;
        var stop = (await repository.FindAsync(stoppedOne.Id, CancellationToken.None))!;
        stop.MoveTo(SessionState.Stopping, Now.AddSeconds(1));
        var stopSaved = await repository.SaveStateIfStillAsync(stop, SessionState.Provisioning, CancellationToken.None);

        provisioning.AttachTarget(new Target(Iqn.Parse("iqn.2024-01.net.ggnet:session.1"), "/disks/session-1.img", IscsiBackendKind.Tgt, 1, null));
        provisioning.MoveTo(SessionState.Ready, Now.AddSeconds(2));
        var readySaved = await repository.SaveReadyAsync([provisioning], CancellationToken.None);
        var afterBoth = (await repository.FindAsync(stoppedOne.Id, CancellationToken.None))!;

        Assert.True(stopSaved);
        Assert.Empty(readySaved);
        Assert.Equal(SessionState.Stopping, afterBoth.State);
        Assert.Null(afterBoth.ReadyAt);
        Assert.Null(afterBoth.Target);
    }

    [Fact]
    public async Task Ready_WhileStillProvisioning_IsSavedWithItsTargetAndAudit()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        var repository = TestDatabases.SessionsOn(factory);
        var session = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
        await repository.AddAsync(session, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        await repository.ClaimForProvisioningAsync([session.Id], Now, CancellationToken.None);
        var provisioning = (await repository.FindAsync(session.Id, CancellationToken.None))!;

        provisioning.AttachTarget(new Target(Iqn.Parse("iqn.2024-01.net.ggnet:session.2"), "/disks/session-2.img", IscsiBackendKind.Tgt, 1, null));
        provisioning.MoveTo(SessionState.Ready, Now.AddSeconds(2), "ready-audit");
        var readySaved = await repository.SaveReadyAsync([provisioning], CancellationToken.None);
        var ready = (await repository.FindAsync(session.Id, CancellationToken.None))!;
        await using var db = await factory.CreateDbContextAsync();
        var audited = await db.AuditEvents.CountAsync(a => a.After == "ready-audit");

        Assert.Equal([session.Id], readySaved);
        Assert.Equal(SessionState.Ready, ready.State);
        Assert.Equal(Now.AddSeconds(2), ready.ReadyAt);
        Assert.Equal("/disks/session-2.img", ready.Target?.LunPath);
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task ABatchClaim_TakesOnlyThePendingSessions_AndASecondClaimOfTheSameTakesNone()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        var other = NewMachine("pc-02", "aa:bb:cc:00:00:02");
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Machines.Add(other);
            await db.SaveChangesAsync();
        }
        var repository = TestDatabases.SessionsOn(factory);
        var pending = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
        var stopped = new Session(other.Id, versionId, SessionType.Normal, "test-node", Now);
        await repository.AddAsync([pending, stopped], s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        stopped.Stop("alice", Now);
        await repository.SaveStateIfStillAsync(stopped, SessionState.Pending, CancellationToken.None);

        var first = await repository.ClaimForProvisioningAsync([pending.Id, stopped.Id, 999], Now.AddSeconds(1), CancellationToken.None);
        var second = await repository.ClaimForProvisioningAsync([pending.Id, stopped.Id], Now.AddSeconds(2), CancellationToken.None);

        var claimed = Assert.Single(first);
        Assert.Equal(pending.Id, claimed.Id);
        Assert.Equal(SessionState.Provisioning, claimed.State);
        Assert.Equal(Now.AddSeconds(1), claimed.UpdatedAt);
        Assert.Empty(second);
        Assert.Equal(SessionState.Stopping, (await repository.FindAsync(stopped.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task ClaimsRacingForTheSameSessions_TakeEachExactlyOnce_AndTogetherAllOfThem()
    {
        var (repository, ids) = await PendingSessionsAsync("race", 40);

        // Three jobs claim in groups of 8, in different orders, all at once: some groups meet another's claim midway.
        var claims = await Task.WhenAll(Enumerable.Range(0, 3).Select(job => Task.Run(async () =>
        {
            var order = job switch { 0 => ids, 1 => [.. Enumerable.Reverse(ids)], _ => [.. ids.Skip(20), .. ids.Take(20)] };
            var mine = new List<int>();
            foreach (var group in order.Chunk(8))
            {
                mine.AddRange((await repository.ClaimForProvisioningAsync(group, Now.AddSeconds(job + 1), CancellationToken.None)).Select(s => s.Id));
            }
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(ids.Order(), all.Order());
        foreach (var id in ids)
        {
            Assert.Equal(SessionState.Provisioning, (await repository.FindAsync(id, CancellationToken.None))!.State);
        }
    }

    [Fact]
    public async Task ABulkStopRacingTheReadySavesOfTheSameSessions_EachSessionEndsOneWayOrTheOther_WithoutEitherFailing()
    {
        var (repository, ids) = await PendingSessionsAsync("stop", 40);
        var claimed = await repository.ClaimForProvisioningAsync(ids, Now, CancellationToken.None);
        var stopped = (await Task.WhenAll(ids.Select(id => repository.FindAsync(id, CancellationToken.None)))).Select(s => s!).ToList();

        // The Ready saves in groups, as a batch's writer gathers them; the bulk stop at once, in the opposite order.
        var readySaves = Task.Run(async () =>
        {
            var ready = new List<int>();
            foreach (var group in claimed.Chunk(8))
            {
                foreach (var session in group)
                {
                    session.MoveTo(SessionState.Ready, Now.AddSeconds(1));
                }
                ready.AddRange(await repository.SaveReadyAsync(group, CancellationToken.None));
            }
            return ready;
        });
        var stop = Task.Run(() =>
        {
            stopped.ForEach(s => s.Stop("alice", Now.AddSeconds(1)));
            return repository.SaveStopsIfStillAsync([.. Enumerable.Reverse(stopped).Select(s => new StopIfStill(s, SessionState.Provisioning))], CancellationToken.None);
        });
        var (ready, stops) = (await readySaves, await stop);

        Assert.Equal(ids.Order(), ready.Concat(stops).Order());
        foreach (var id in ids)
        {
            Assert.Equal(ready.Contains(id) ? SessionState.Ready : SessionState.Stopping, (await repository.FindAsync(id, CancellationToken.None))!.State);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABulkStop_OfSessionsReadInDifferentStates_SavesEachWithItsAuditEntry_AndLeavesOneThatMovedSinceItWasRead(bool oneMovedMeanwhile)
    {
        var factory = await MigratedFactoryAsync();
        var (_, versionId) = await SeedMachineAndImageAsync(factory);
        var machines = Enumerable.Range(0, 6).Select(i => NewMachine($"closing-{i}", $"aa:bb:cc:02:00:{i:x2}")).ToArray();
        await AddMachinesAsync(factory, machines);
        var repository = TestDatabases.SessionsOn(factory);
        var sessions = machines.Select(m => new Session(m.Id, versionId, SessionType.Normal, "test-node", Now)).ToList();
        await repository.AddAsync(sessions, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        var ids = sessions.Select(s => s.Id).ToArray();
        // Three read as Provisioning, three as Pending.
        await repository.ClaimForProvisioningAsync(ids[..3], Now.AddSeconds(1), CancellationToken.None);
        var read = await repository.FindManyAsync(ids, CancellationToken.None);
        if (oneMovedMeanwhile)
        {
            await repository.ClaimForProvisioningAsync([ids[5]], Now.AddSeconds(2), CancellationToken.None);
        }
        var stops = read.Select(session =>
        {
            var before = session.State;
            session.Stop("alice", Now.AddSeconds(3));
            return new StopIfStill(session, before);
        }).ToList();

        var saved = await repository.SaveStopsIfStillAsync(stops, CancellationToken.None);

        var stopped = oneMovedMeanwhile ? ids[..5] : ids;
        Assert.Equal(stopped, saved.Order());
        await using var db = await factory.CreateDbContextAsync();
        var states = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Id).Select(s => s.State).ToListAsync();
        Assert.Equal(stopped.Select(_ => SessionState.Stopping).Concat(oneMovedMeanwhile ? [SessionState.Provisioning] : []), states);
        var audited = await db.AuditEvents.AsNoTracking().Where(a => a.Action == "session.stop-requested").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(stopped.Select(id => $"{id} alice {(id <= ids[2] ? "state=Provisioning" : "state=Pending")} state=Stopping"),
            audited.OrderBy(a => int.Parse(a.EntityId!, System.Globalization.CultureInfo.InvariantCulture)).Select(a => $"{a.EntityId} {a.Actor} {a.Before} {a.After}"));
    }

    // A pending session on each of this many new machines.
    private async Task<(ISessionRepository Repository, List<int> Ids)> PendingSessionsAsync(string prefix, int count)
    {
        var factory = await MigratedFactoryAsync();
        var (_, versionId) = await SeedMachineAndImageAsync(factory);
        var machines = Enumerable.Range(0, count).Select(i => NewMachine($"{prefix}-{i:00}", $"aa:bb:cc:01:00:{i:x2}")).ToList();
        await AddMachinesAsync(factory, [.. machines]);
        var repository = TestDatabases.SessionsOn(factory);
        var sessions = machines.Select(m => new Session(m.Id, versionId, SessionType.Normal, "test-node", Now)).ToList();
        await repository.AddAsync(sessions, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        return (repository, sessions.Select(s => s.Id).ToList());
    }

    [Fact]
    public async Task AFailure_SavedWhileStillPending_KeepsItsReason_AndAnOlderReadFailingItAgainChangesNothing()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        var repository = TestDatabases.SessionsOn(factory);
        var session = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
        await repository.AddAsync(session, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        var late = (await repository.FindAsync(session.Id, CancellationToken.None))!;

        session.Fail("waited too long", Now.AddSeconds(1));
        var failed = await repository.SaveStateIfStillAsync(session, SessionState.Pending, CancellationToken.None);
        var afterFailure = (await repository.FindAsync(session.Id, CancellationToken.None))!;
        late.Fail("a second, older read", Now.AddSeconds(2));
        var failedAgain = await repository.SaveStateIfStillAsync(late, SessionState.Pending, CancellationToken.None);

        Assert.True(failed);
        Assert.Equal(SessionState.Failed, afterFailure.State);
        Assert.Equal("waited too long", afterFailure.FailureReason);
        Assert.False(failedAgain);
        Assert.Equal("waited too long", (await repository.FindAsync(session.Id, CancellationToken.None))!.FailureReason);
    }

    [Fact]
    public async Task AStopByGGnet_KeepsItsReason_ForThePagesAndTheStoppedWebhook_AndIsListedWithTheFailures_AStopByAPersonIsNot()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        var webhooks = new InMemoryWebhooks();
        var hook = new WebhookEndpoint(WebhookUrl.Parse("https://billing.example/hook"), WebhookEventFilter.Everything, true, "secret", Now);
        await webhooks.AddAsync(hook, _ => null!, CancellationToken.None);
        var repository = TestDatabases.SessionsOn(factory, new RecordingStatusNotifier(), webhooks);
        const string Why = "wrote 1104 MiB, more than its image's write quota of 1024 MiB: stopped, so that the storage keeps room for the other PCs";

        var byAlice = await StoppedAsync("alice", null);
        var byGGnet = await StoppedAsync(Session.SystemActor, Why);
        var failed = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
        await repository.AddAsync(failed, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        failed.Fail("waited too long", Now.AddSeconds(3));
        await repository.SaveStateIfStillAsync(failed, SessionState.Pending, CancellationToken.None);
        var page = new GGnet.Core.Common.PageRequest(1, 50);
        var listed = await repository.ListAsync(new SessionQuery(page, EndedBadly: true, UpdatedSince: Now), CancellationToken.None);
        var listedLater = await repository.ListAsync(new SessionQuery(page, EndedBadly: true, UpdatedSince: Now.AddSeconds(3)), CancellationToken.None);

        Assert.Null(byAlice.StopReason);
        Assert.Equal(Why, byGGnet.StopReason);
        Assert.Equal([failed.Id, byGGnet.Id], listed.Items.Select(s => s.Id));
        Assert.Equal([failed.Id], listedLater.Items.Select(s => s.Id));
        var stopped = webhooks.Deliveries.Where(d => d.EventType == "session.stopped").Select(d => d.Body).ToList();
        Assert.Equal(2, stopped.Count);
        Assert.Contains("\"stopReason\":null", stopped[0], StringComparison.Ordinal);
        Assert.Contains("\"stopReason\":\"wrote 1104 MiB, more than its image", stopped[1], StringComparison.Ordinal);

        async Task<Session> StoppedAsync(string actor, string? why)
        {
            var session = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
            await repository.AddAsync(session, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
            session.Stop(actor, Now.AddSeconds(1), why);
            Assert.True(await repository.SaveStateIfStillAsync(session, SessionState.Pending, CancellationToken.None));
            var stopping = (await repository.FindAsync(session.Id, CancellationToken.None))!;
            stopping.MoveTo(SessionState.Stopped, Now.AddSeconds(2));
            Assert.True(await repository.SaveStateIfStillAsync(stopping, SessionState.Stopping, CancellationToken.None));
            return (await repository.FindAsync(session.Id, CancellationToken.None))!;
        }
    }

    [Fact]
    public async Task AMove_IsAuditedInItsCommit_AndScreensAndWebhooksHearOfIt_ButAMoveNotSavedLeavesNoTrace()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        var notifier = new RecordingStatusNotifier();
        var webhooks = new InMemoryWebhooks();
        await webhooks.AddAsync(new WebhookEndpoint(WebhookUrl.Parse("https://billing.example/hook"), WebhookEventFilter.Everything, true, "secret", Now), _ => null!, CancellationToken.None);
        var repository = TestDatabases.SessionsOn(factory, notifier, webhooks);
        var session = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
        await repository.AddAsync(session, s => new GGnet.Core.Domain.Audit.AuditEvent(Now, "t", "session.started", "session", "1", null, null), CancellationToken.None);
        await repository.ClaimForProvisioningAsync([session.Id], Now, CancellationToken.None);
        var provisioning = (await repository.FindAsync(session.Id, CancellationToken.None))!;
        provisioning.AttachTarget(new Target(Iqn.Parse("iqn.2024-01.net.ggnet:session.3"), "/disks/session-3.img", IscsiBackendKind.Tgt, 1, null));
        provisioning.MoveTo(SessionState.Ready, Now.AddSeconds(1), "target=session.3");
        await repository.SaveReadyAsync([provisioning], CancellationToken.None);

        var stale = (await repository.FindAsync(session.Id, CancellationToken.None))!;
        var stop = (await repository.FindAsync(session.Id, CancellationToken.None))!;
        stop.Stop("alice", Now.AddSeconds(2));
        await repository.SaveStateIfStillAsync(stop, SessionState.Ready, CancellationToken.None);
        stale.Fail("the PC's disk vanished", Now.AddSeconds(3));
        var staleSaved = await repository.SaveStateIfStillAsync(stale, SessionState.Ready, CancellationToken.None);

        await using var db = await factory.CreateDbContextAsync();
        var audited = await db.AuditEvents.AsNoTracking().Where(a => a.EntityType == "session" && a.Action != "session.started").OrderBy(a => a.Id).ToListAsync();
        Assert.False(staleSaved);
        Assert.Equal(["system session.ready target=session.3", "alice session.stop-requested state=Stopping"], audited.Select(a => $"{a.Actor} {a.Action} {a.After}"));
        Assert.Equal("state=Ready", audited[1].Before);
        Assert.Equal([machineId, machineId], notifier.MachinesChanged);
        Assert.Equal(["session.ready"], webhooks.Deliveries.Select(d => d.EventType));
    }

    [Fact]
    public async Task DataDisks_RoundTrip_AndEveryQueryThatReadsThemSeesThem()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        int gamesId, gamesVersionId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var games = new Image("games", null, "test-node", Now);
            games.UseAs(ImageKind.Data);
            db.Images.Add(games);
            await db.SaveChangesAsync();
            var gamesVersion = new ImageVersion(games.Id, 1, DiskFormat.Raw, 4 << 20, "/var/lib/ggnet/images/games/1.img", Now);
            gamesVersion.MarkReady();
            db.ImageVersions.Add(gamesVersion);
            await db.SaveChangesAsync();
            (gamesId, gamesVersionId) = (games.Id, gamesVersion.Id);
            games.MakeCurrent(gamesVersion);
            var machine = await db.Machines.SingleAsync(m => m.Id == machineId);
            machine.AttachDataImages([gamesId], "alice", Now);
            var group = new MachineGroup("hall-a", null);
            group.AttachDataImages([gamesId]);
            db.MachineGroups.Add(group);
            var session = new Session(machineId, versionId, SessionType.Normal, "test-node", Now);
            session.AttachDataDisks([gamesVersionId]);
            session.AttachTarget(new Target(Iqn.Parse("iqn.2024-01.net.ggnet:session.1"), "/var/lib/ggnet/disks/session-1.img", IscsiBackendKind.Tgt, 1, null));
            db.Sessions.Add(session);
            await db.SaveChangesAsync();
        }
        var images = new GGnet.Infrastructure.Persistence.Repositories.ImageRepository(factory);
        var machines = new GGnet.Infrastructure.Persistence.Repositories.MachineRepository(factory,
            new GGnet.Core.Machines.AfterMachineCommit(new CountingBootSyncTrigger(), new RecordingStatusNotifier(),
                new GGnet.Core.Webhooks.PublishWebhookEvents(new InMemoryWebhooks(), new InMemoryWebhooks(), TimeProvider.System)),
            NullLogger<GGnet.Infrastructure.Persistence.Repositories.MachineRepository>.Instance);
        var boot = new GGnet.Infrastructure.Persistence.Repositories.BootRepository(factory, TestMetrics.Create(), TimeProvider.System);

        await using var read = await factory.CreateDbContextAsync();
        Assert.Equal(ImageKind.Data, (await read.Images.SingleAsync(i => i.Id == gamesId)).Kind);
        Assert.Equal(ImageKind.System, (await read.Images.SingleAsync(i => i.Name == "win11")).Kind);
        Assert.Equal([gamesId], (await read.Machines.SingleAsync(m => m.Id == machineId)).DataImageIds);
        Assert.Equal([gamesId], (await read.MachineGroups.SingleAsync()).DataImageIds);
        Assert.Equal([gamesVersionId], (await read.Sessions.SingleAsync()).DataImageVersionIds);
        Assert.Equal(["pc-01"], await machines.NamesWithDataImageAsync(gamesId, CancellationToken.None));
        Assert.Empty(await machines.NamesWithDataImageAsync(gamesId + 1, CancellationToken.None));
        Assert.Equal([gamesVersionId], await images.VersionsInUseAsync(gamesId, CancellationToken.None));
        Assert.Equal(1, await images.CountActiveSessionsAsync(gamesId, CancellationToken.None));
        Assert.DoesNotContain(await images.ListBootableAsync(CancellationToken.None), i => i.Id == gamesId);
        Assert.Equal(1, (await boot.FindActiveTargetAsync(machineId, CancellationToken.None))!.DataDisks);
    }

    [Fact]
    public async Task SpaceMeasures_AreSaved_AndTheWarningIsAuditedOnce_WhoeverMeasuredFirst()
    {
        var factory = await MigratedFactoryAsync();
        var (machineId, versionId) = await SeedMachineAndImageAsync(factory);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var image = await db.Images.SingleAsync();
            image.LimitSessionWrites(1L << 30);
            db.Sessions.Add(new Session(machineId, versionId, SessionType.Normal, "test-node", Now));
            await db.SaveChangesAsync();
        }
        var sessions = TestDatabases.SessionsOn(factory);
        var first = (await sessions.ListActiveAsync(CancellationToken.None)).Single();
        var second = (await sessions.ListActiveAsync(CancellationToken.None)).Single();

        first.MeasureOwnBytes(900L << 20, 1L << 30, Now);
        second.MeasureOwnBytes(910L << 20, 1L << 30, Now.AddSeconds(1));
        await sessions.SaveMeasuresAsync([first], CancellationToken.None);
        await sessions.SaveMeasuresAsync([second], CancellationToken.None);

        await using var read = await factory.CreateDbContextAsync();
        var saved = await read.Sessions.SingleAsync();
        Assert.Equal((910L << 20, Now), (saved.OwnBytes!.Value, saved.SpaceLowAt!.Value));
        Assert.Equal(1, await read.AuditEvents.CountAsync(a => a.Action == "session.space-low"));
        Assert.Equal(1L << 30, (await read.Images.SingleAsync()).SessionQuotaBytes);
    }

    [Fact]
    public async Task Schedule_WithBootWaves_RoundTrips()
    {
        var factory = await MigratedFactoryAsync();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var group = new MachineGroup("hall-a", null);
            db.MachineGroups.Add(group);
            await db.SaveChangesAsync();
            var paced = new GGnet.Core.Domain.Schedules.Schedule(group.Id, new TimeOnly(9, 0), GGnet.Core.Domain.Schedules.ScheduleDays.Every,
                GGnet.Core.Domain.Schedules.ScheduleAction.Wake, null, Now);
            paced.PaceWaves(20, null);
            db.Schedules.Add(paced);
            await db.SaveChangesAsync();
        }

        await using var read = await factory.CreateDbContextAsync();
        var loaded = await read.Schedules.SingleAsync();
        Assert.Equal((20, (int?)null), (loaded.WaveSize, loaded.WaveSeconds));
    }

    protected async Task<IDbContextFactory<GGnetDbContext>> MigratedFactoryAsync()
    {
        var options = await CreateDatabaseAsync();
        return await TestDatabases.MigratedAsync(options);
    }

    private static async Task<(int MachineId, int VersionId)> SeedMachineAndImageAsync(IDbContextFactory<GGnetDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        var machine = NewMachine("pc-01", "aa:bb:cc:00:00:01");
        var image = new Image("win11", null, "test-node", Now);
        db.Machines.Add(machine);
        db.Images.Add(image);
        await db.SaveChangesAsync();
        var version = new ImageVersion(image.Id, 1, DiskFormat.Raw, 4 << 20, "/var/lib/ggnet/images/win11/1.img", Now);
        db.ImageVersions.Add(version);
        await db.SaveChangesAsync();
        return (machine.Id, version.Id);
    }

    [Fact]
    public async Task ScriptFetches_SavedAsOneBatch_KeepEachBootsFirstFetch_AndMoveEachMachineOnce()
    {
        var factory = await MigratedFactoryAsync();
        var first = NewMachine("pc-01", "aa:bb:cc:00:00:01");
        var second = NewMachine("pc-02", "aa:bb:cc:00:00:02");
        second.ObserveBootStage(BootStage.ScriptFetched, Now.AddSeconds(-30));
        await AddMachinesAsync(factory, first, second);
        var boot = BootRepositoryOn(factory);
        BootEvent Fetch(Machine machine, int seconds) =>
            new(machine.Id, machine.MacAddress, BootEventKind.ScriptFetchedHttp, Ipv4Address.Parse("10.99.0.1" + seconds), Now.AddSeconds(seconds), "detail \"quoted\"");

        var changed = await boot.RecordScriptFetchesAsync([Fetch(first, 1), Fetch(second, 2), Fetch(first, 3), new BootEvent(999_999, first.MacAddress, BootEventKind.ScriptFetchedHttp, null, Now)], CancellationToken.None);
        var again = await boot.RecordScriptFetchesAsync([Fetch(first, 3), Fetch(second, 2)], CancellationToken.None);

        await using var check = await factory.CreateDbContextAsync();
        var machines = await check.Machines.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        var events = await check.BootEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([BootStage.ScriptFetched, BootStage.ScriptFetched], machines.Select(m => m.BootStage));
        Assert.Equal(Now.AddSeconds(1), machines[0].BootStageChangedAt);
        Assert.Equal(Now.AddSeconds(3), machines[0].LastSeen);
        Assert.Equal(Now.AddSeconds(-30), machines[1].BootStageChangedAt);
        Assert.Equal(Now.AddSeconds(2), machines[1].LastSeen);
        // The first PC's second fetch, 2 s after its first, is a repeat: it moved when the PC was last seen, and made no row.
        Assert.Equal([first.Id, second.Id], events.Select(e => e.MachineId!.Value));
        Assert.Equal(Ipv4Address.Parse("10.99.0.11"), events[0].ClientAddress);
        Assert.Equal(first.MacAddress, events[0].MacAddress);
        Assert.Equal(BootEventKind.ScriptFetchedHttp, events[0].Kind);
        Assert.Equal(Now.AddSeconds(1), events[0].At);
        Assert.Equal(DateTimeKind.Utc, events[0].At.Kind);
        Assert.Equal("detail \"quoted\"", events[0].Detail);
        // What the screens are told of: both PCs changed; asking again within the second changed neither.
        Assert.Equal([first.Id, second.Id], changed.Order());
        Assert.Empty(again);
    }

    [Fact]
    public async Task ScriptFetch_SavedAfterThePcGotFurther_IsKeptInTimeOrder_ButDoesNotMoveThePcBack()
    {
        var factory = await MigratedFactoryAsync();
        var attached = NewMachine("pc-03", "aa:bb:cc:00:00:03");
        var racing = NewMachine("pc-04", "aa:bb:cc:00:00:04");
        await AddMachinesAsync(factory, attached, racing);
        var boot = BootRepositoryOn(factory);

        await boot.RecordObservationAsync(attached.Id, BootStage.DiskAttached, new BootEvent(attached.Id, attached.MacAddress, BootEventKind.DiskAttached, null, Now.AddSeconds(5)), Now.AddSeconds(5), CancellationToken.None);
        await boot.RecordScriptFetchesAsync([new BootEvent(attached.Id, attached.MacAddress, BootEventKind.ScriptFetchedHttp, null, Now.AddSeconds(2))], CancellationToken.None);
        var timeline = await boot.ListBootEventsAsync(attached.Id, 10, CancellationToken.None);
        // The same, decided before an observation of the other PC was saved: the statement itself leaves the later stage.
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Machines.Where(m => m.Id == racing.Id).ExecuteUpdateAsync(set => set
                .SetProperty(m => m.BootStage, BootStage.AttachFailed).SetProperty(m => m.BootStageChangedAt, Now.AddSeconds(6)).SetProperty(m => m.LastSeen, Now.AddSeconds(6)));
            await new GGnet.Infrastructure.Persistence.Repositories.ScriptFetchBatch(db).SaveAsync([],
                [new GGnet.Infrastructure.Persistence.Repositories.ScriptFetchBatch.MachineSeen(racing.Id, BootStage.ScriptFetched, Now.AddSeconds(4), Now.AddSeconds(4))], CancellationToken.None);
        }

        await using var check = await factory.CreateDbContextAsync();
        var machines = await check.Machines.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        Assert.Equal([BootStage.DiskAttached, BootStage.AttachFailed], machines.Select(m => m.BootStage));
        Assert.Equal([Now.AddSeconds(5), Now.AddSeconds(6)], machines.Select(m => m.BootStageChangedAt!.Value));
        Assert.Equal([BootEventKind.DiskAttached, BootEventKind.ScriptFetchedHttp], timeline.Select(e => e.Kind));
    }

    [Fact]
    public async Task ScriptFetches_RepeatedWithinTwoSeconds_AreNotReadAgain_ButAnObservationOfThePcIsSeenByItsNextFetch()
    {
        var factory = await MigratedFactoryAsync();
        var waiting = NewMachine("pc-07", "aa:bb:cc:00:00:07");
        var rebooting = NewMachine("pc-08", "aa:bb:cc:00:00:08");
        await AddMachinesAsync(factory, waiting, rebooting);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(Now));
        var boot = BootRepositoryOn(factory, clock);
        BootEvent Fetch(Machine machine, int seconds) => new(machine.Id, machine.MacAddress, BootEventKind.ScriptFetchedHttp, null, Now.AddSeconds(seconds));
        async Task<BootStage> StageAsync(Machine machine)
        {
            await using var db = await factory.CreateDbContextAsync();
            return (await db.Machines.AsNoTracking().SingleAsync(m => m.Id == machine.Id)).BootStage;
        }

        // Each PC's first fetch moves it; its repeat a second later changes nothing, and its state read for it is kept.
        await boot.RecordScriptFetchesAsync([Fetch(waiting, 0), Fetch(rebooting, 0)], CancellationToken.None);
        await boot.RecordScriptFetchesAsync([Fetch(waiting, 1), Fetch(rebooting, 1)], CancellationToken.None);
        // The waiting PC's stage changed behind this GGnet's back (as another node would write it): its repeats within
        // two seconds of the read are answered from what was read, the first one after from the database.
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Machines.Where(m => m.Id == waiting.Id).ExecuteUpdateAsync(set => set.SetProperty(m => m.BootStage, BootStage.Offline));
        }
        // This GGnet's own observation of the other PC (its disk attached: it is up) is seen by its next fetch, a reboot.
        await boot.RecordObservationAsync(rebooting.Id, BootStage.DiskAttached, null, Now.AddSeconds(2), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1.5));
        var withinTwoSeconds = await boot.RecordScriptFetchesAsync([Fetch(waiting, 2), Fetch(rebooting, 3)], CancellationToken.None);
        var waitingWithin = await StageAsync(waiting);
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterTwoSeconds = await boot.RecordScriptFetchesAsync([Fetch(waiting, 3)], CancellationToken.None);

        Assert.Equal([rebooting.Id], withinTwoSeconds);
        Assert.Equal(BootStage.ScriptFetched, await StageAsync(rebooting));
        Assert.Equal(BootStage.Offline, waitingWithin);
        Assert.Equal([waiting.Id], afterTwoSeconds);
        Assert.Equal(BootStage.ScriptFetched, await StageAsync(waiting));
        await using var check = await factory.CreateDbContextAsync();
        var rows = await check.BootEvents.AsNoTracking().Where(e => e.Kind == BootEventKind.ScriptFetchedHttp).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([(waiting.Id, 0), (rebooting.Id, 0), (rebooting.Id, 3), (waiting.Id, 3)], rows.Select(e => (e.MachineId!.Value, (int)(e.At - Now).TotalSeconds)));
    }

    [Fact]
    public async Task Observations_OfManyPcs_AreSavedTogether_InOrder_SkippingAPcDeletedMeanwhile()
    {
        var factory = await MigratedFactoryAsync();
        var online = NewMachine("pc-05", "aa:bb:cc:00:00:05");
        var booting = NewMachine("pc-06", "aa:bb:cc:00:00:06");
        await AddMachinesAsync(factory, online, booting);
        var boot = BootRepositoryOn(factory);
        BootObservation Offline(Machine pc, int second) =>
            new(pc.Id, BootStage.Offline, new BootEvent(pc.Id, pc.MacAddress, BootEventKind.DiskDetached, null, Now.AddSeconds(second), "session ended"), Now.AddSeconds(second));

        await boot.RecordObservationsAsync([
            new BootObservation(online.Id, BootStage.Online, null, Now.AddSeconds(1)),
            Offline(online, 2),
            Offline(booting, 3),
            Offline(NewMachine("pc-gone", "aa:bb:cc:00:00:99"), 4),
        ], CancellationToken.None);

        await using var check = await factory.CreateDbContextAsync();
        var machines = await check.Machines.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        Assert.Equal([BootStage.Offline, BootStage.Offline], machines.Select(m => m.BootStage));
        Assert.Equal([Now.AddSeconds(2), Now.AddSeconds(3)], machines.Select(m => m.BootStageChangedAt!.Value));
        var events = await check.BootEvents.AsNoTracking().OrderBy(e => e.At).ToListAsync();
        Assert.Equal([(online.Id, Now.AddSeconds(2)), (booting.Id, Now.AddSeconds(3))], events.Select(e => (e.MachineId!.Value, e.At)));
        Assert.All(events, e => Assert.Equal(BootEventKind.DiskDetached, e.Kind));
    }

    private static async Task AddMachinesAsync(IDbContextFactory<GGnetDbContext> factory, params Machine[] machines)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.Machines.AddRange(machines);
        await db.SaveChangesAsync();
    }

    private static GGnet.Infrastructure.Persistence.Repositories.BootRepository BootRepositoryOn(IDbContextFactory<GGnetDbContext> factory, TimeProvider? clock = null) =>
        new(factory, TestMetrics.Create(), clock ?? TimeProvider.System);

    private static Machine NewMachine(string name, string mac) =>
        new(new MachineDetails(Hostname.Parse(name), MacAddress.Parse(mac), null, null, null, Firmware.Bios, null, true), Now);
}

public sealed class SqliteMigrationTests : MigrationTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<DatabaseOptions> CreateDatabaseAsync() =>
        Task.FromResult(TestDatabases.NewSqlite(_directory));

    [Fact]
    public async Task Migrated_UsesWriteAheadLogging_AndEveryConnectionSyncsAtCheckpointsOnly_AndWaitsInSqliteWhenBusy()
    {
        var factory = await MigratedFactoryAsync();

        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var journal = connection.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode;";
        await using var synchronous = connection.CreateCommand();
        synchronous.CommandText = "PRAGMA synchronous;";

        await using var busyTimeout = connection.CreateCommand();
        busyTimeout.CommandText = "PRAGMA busy_timeout;";

        Assert.Equal("wal", (string?)await journal.ExecuteScalarAsync());
        Assert.Equal(1L, (long?)await synchronous.ExecuteScalarAsync());
        Assert.Equal(30_000L, (long?)await busyTimeout.ExecuteScalarAsync());
    }

    public void Dispose() => _directory.Dispose();
}

public sealed class PostgresMigrationTests : MigrationTests
{
    protected override Task<DatabaseOptions> CreateDatabaseAsync() => TestDatabases.NewPostgresAsync();
}
