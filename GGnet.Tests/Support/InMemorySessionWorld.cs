using GGnet.Core.Boot;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using GGnet.Core.Webhooks;
using GGnet.Infrastructure.Identity;
using GGnet.Infrastructure.Nodes;
using Microsoft.AspNetCore.DataProtection;

namespace GGnet.Tests.Support;

/// <summary>
/// A session's start and stop (<see cref="ProvisionSession"/>, <see cref="TeardownSession"/>) with every part in memory:
/// its disk, target and script in <see cref="RecordingSessionParts"/>, its rows in the in-memory repositories.
/// </summary>
public sealed class InMemorySessionWorld
{
    private readonly MachineChap _chap;
    private readonly BootScriptComposer _composer;

    public InMemorySessionWorld()
    {
        var publish = new PublishWebhookEvents(Webhooks, Webhooks, TimeProvider.System);
        Sessions = new InMemorySessions(new AfterSessionCommit(Notifier, publish, Machines, Images));
        Boot = new InMemoryBootRepository(Machines);
        _chap = new MachineChap(Machines, Sessions, new DataProtectionSecrets(new EphemeralDataProtectionProvider()), new ChapDefaults(ChapPolicy.Off),
            new InMemoryAuditLog(), TimeProvider.System);
        _composer = new BootScriptComposer(Parts, Boot, _chap, new GivenLeases(), Parts, new GivenNeighbours(), TimeProvider.System);
        Provision = ProvisionWith(new LocalClusterLocks());
    }

    public RecordingSessionParts Parts { get; } = new();

    public InMemoryMachineRepository Machines { get; } = new();

    public RecordingStatusNotifier Notifier { get; } = new();

    public InMemoryWebhooks Webhooks { get; } = new();

    public InMemoryImages Images { get; } = new();

    public InMemoryBootRepository Boot { get; }

    public InMemorySessions Sessions { get; }

    public ProvisionSession Provision { get; }

    /// <summary>The start's provisioning, with the machines' locks given (a lock that stays held, say).</summary>
    public ProvisionSession ProvisionWith(IClusterLocks locks) =>
        new(Sessions, Images, Machines, locks, _chap,
            new SessionDisks(Sessions, Parts, new ProvisioningProgress(), Notifier),
            new SessionTargets(Parts, _chap, Parts, new EmptyImportFolder(), Parts),
            new SessionScripts(_composer, Parts),
            new CountingBootSyncTrigger(), Notifier,
            TestMetrics.Create(), TimeProvider.System);

    /// <summary>The teardown, with the machines' locks given (a lock that stays held, say) or the local ones.</summary>
    public TeardownSession Teardown(IClusterLocks? locks = null) =>
        new(Sessions, Machines, locks ?? new LocalClusterLocks(), Parts, Parts, _composer, Parts, Parts, Boot, new CountingBootSyncTrigger(),
            TestMetrics.Create(), TimeProvider.System);

    /// <summary>A reconcile pass of this node ("node-1"), with the machines' locks given (a lock that stays held, say) or the local ones.</summary>
    public ReconcileSessions Reconcile(IClusterLocks? locks = null) =>
        new(Sessions, new GGnet.Core.Machines.GetMachine(Machines), Parts, Parts, Parts, Sessions, new CountingBootSyncTrigger(), new InMemoryAuditLog(),
            new ServerStart(DateTime.UtcNow.AddHours(-1)), new GGnet.Core.Nodes.LocalNode(GGnet.Core.Domain.Hostname.Parse("node-1"), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)),
            new SessionTargets(Parts, _chap, Parts, new EmptyImportFolder(), Parts), locks ?? new LocalClusterLocks(), TimeProvider.System);

    /// <summary>A pending session of a new PC named pc-N, of a new image (and data images of these names).</summary>
    public async Task<Session> PendingSessionAsync(int pc, params string[] dataImages)
    {
        var version = Images.Add("win11", "/images/win11/1.img");
        var machine = BootSamples.Machine(0, $"pc-{pc}", $"52:54:00:00:00:{pc:00}");
        await Machines.AddAsync(machine, CancellationToken.None);
        var session = new Session(machine.Id, version.Id, SessionType.Normal, "node-1", DateTime.UtcNow);
        session.AttachDataDisks(dataImages.Select(name => Images.Add(name, $"/images/{name}/1.img", ImageKind.Data).Id).ToList());
        await Sessions.AddAsync(session, s => new GGnet.Core.Domain.Audit.AuditEvent(DateTime.UtcNow, "alice", "session.started", "session", null, null, null),
            CancellationToken.None);
        return session;
    }

    /// <summary>The session's stop, as the admin's stop saves it: Stopping, for the teardown.</summary>
    public async Task StopAsync(Session session)
    {
        session.MoveTo(SessionState.Stopping, DateTime.UtcNow);
        await Sessions.SaveAsync(session, null, CancellationToken.None);
    }
}
