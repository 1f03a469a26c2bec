using GGnet.Core.Audit;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Images;
using GGnet.Core.Sessions;
using GGnet.Core.Webhooks;
using GGnet.Infrastructure.TestBoots;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Images;

/// <summary>A canary whose PC attached it but whose OS did not take over within twice its usual time is rolled back, with why.</summary>
public sealed class WatchCanariesTests
{
    private static readonly DateTime Start = new(2026, 12, 5, 9, 0, 0, DateTimeKind.Utc);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryImages _images = new();
    private readonly InMemoryMachineRepository _machines = new();
    private readonly InMemoryWebhooks _webhooks = new();
    private readonly InMemorySessions _sessions;
    private readonly InMemoryMachineGroupRepository _groups;
    private readonly Image _image;
    private readonly ImageVersion _canary;

    public WatchCanariesTests()
    {
        var notifier = new RecordingStatusNotifier();
        _sessions = new InMemorySessions(new AfterSessionCommit(notifier, new PublishWebhookEvents(_webhooks, _webhooks, _clock), _machines, _images));
        _groups = new InMemoryMachineGroupRepository(_machines);
        var current = _images.Add("win11", "/images/win11.img");
        _canary = _images.AddVersion(current.ImageId, v => v.PassTrial(40, "passed", "", Start));
        _image = _images.FindAsync(current.ImageId, CancellationToken.None).Result!;
    }

    [Theory]
    [InlineData(79, false)]
    [InlineData(81, true)]
    public async Task APcThatUsuallyTakes40Seconds_RollsTheGroupBack_After80SecondsWithoutItsOs(int seconds, bool rolledBack)
    {
        var pc = await CanaryPcAsync(usualSeconds: 40);
        var attach = await AttachCanaryAsync(pc);
        _clock.Advance(TimeSpan.FromSeconds(seconds));

        await Watch().ExecuteAsync(CancellationToken.None);

        Assert.Equal(rolledBack ? null : _canary.Id, _image.CanaryVersionId);
        if (rolledBack)
        {
            var entry = Assert.Single(_images.CanaryAudit);
            Assert.Equal((AuditActions.CanaryRolledBack, "system"), (entry.Action, entry.Actor));
            Assert.Equal($"pc-01 (session {attach.Id}) did not boot win11 v2: its OS has not taken its disk over 81 s after its firmware attached it " +
                "(it usually takes 40 s). Group 'Hall A' boots v1 again from its next sessions; PCs running the canary keep it until they restart.", entry.After);
            Assert.Equal(["image.canary-rolled-back"], _webhooks.Deliveries.Select(d => d.EventType));
        }
        else
        {
            Assert.Empty(_images.CanaryAudit);
        }
    }

    [Fact]
    public async Task ACanaryOverdueWhenGGnetStarts_IsRolledBackAsTheWatchStarts_NotOneIntervalLater()
    {
        var pc = await CanaryPcAsync(usualSeconds: 40);
        await AttachCanaryAsync(pc);
        _clock.Advance(TimeSpan.FromSeconds(81));
        var services = new ServiceCollection().AddScoped(_ => Watch()).BuildServiceProvider();
        // The watch's clock stands still from here: only a pass made at start can roll the canary back.
        using var watch = new CanaryWatch(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new TestBootOptions { CanaryCheckSeconds = 10 }),
            _clock, NullLogger<CanaryWatch>.Instance);

        await watch.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => _image.CanaryVersionId is null);
        await watch.StopAsync(CancellationToken.None);

        Assert.Null(_image.CanaryVersionId);
        Assert.Single(_images.CanaryAudit);
    }

    [Fact]
    public async Task AFirmwareThatCantBootTheCanary_AndAttachesAgainAndAgain_RollsItBack_CountingFromTheFirstAttach()
    {
        var pc = await CanaryPcAsync(usualSeconds: 40);
        var attach = await AttachCanaryAsync(pc);
        for (var retry = 0; retry < 8; retry++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            attach.MoveTo(SessionState.Ready, _clock.GetUtcNow().UtcDateTime);
            _clock.Advance(TimeSpan.FromSeconds(5));
            attach.MoveTo(SessionState.Online, _clock.GetUtcNow().UtcDateTime);
        }
        _clock.Advance(TimeSpan.FromSeconds(5));
        attach.MoveTo(SessionState.Ready, _clock.GetUtcNow().UtcDateTime);

        await Watch().ExecuteAsync(CancellationToken.None);

        Assert.Null(_image.CanaryVersionId);
        Assert.Contains("its OS has not taken its disk over 85 s after its firmware attached it", Assert.Single(_images.CanaryAudit).After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAttachErrorThePcReported_RollsTheCanaryBackAtOnce()
    {
        var pc = await CanaryPcAsync(usualSeconds: 40);
        await AttachCanaryAsync(pc);
        _clock.Advance(TimeSpan.FromSeconds(3));
        pc.ObserveBootStage(BootStage.AttachFailed, _clock.GetUtcNow().UtcDateTime);

        await Watch().ExecuteAsync(CancellationToken.None);

        Assert.Null(_image.CanaryVersionId);
        Assert.Contains("did not boot win11 v2: its firmware could not boot it (it reported an attach error)", Assert.Single(_images.CanaryAudit).After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APcWhoseOsTookOver_KeepsTheCanary_HoweverLongItRuns_AndThroughItsRestarts()
    {
        var pc = await CanaryPcAsync(usualSeconds: 40);
        var attach = await AttachCanaryAsync(pc);
        _clock.Advance(TimeSpan.FromSeconds(30));
        attach.ObserveOsTookOver(_clock.GetUtcNow().UtcDateTime);
        _clock.Advance(TimeSpan.FromHours(3));
        // The customer restarts it: the firmware attaches again; its OS has yet to take over this time.
        attach.MoveTo(SessionState.Ready, _clock.GetUtcNow().UtcDateTime);
        attach.MoveTo(SessionState.Online, _clock.GetUtcNow().UtcDateTime);
        _clock.Advance(TimeSpan.FromMinutes(10));

        await Watch().ExecuteAsync(CancellationToken.None);

        Assert.Equal(_canary.Id, _image.CanaryVersionId);
        Assert.Empty(_webhooks.Deliveries);
    }

    [Fact]
    public async Task APcNeverMeasured_WaitsForTheOsTakeOverLimit()
    {
        var pc = await CanaryPcAsync(usualSeconds: null);
        await AttachCanaryAsync(pc);
        _clock.Advance(TimeSpan.FromMinutes(4));

        await Watch().ExecuteAsync(CancellationToken.None);
        var after4 = _image.CanaryVersionId;
        _clock.Advance(TimeSpan.FromMinutes(2));
        await Watch().ExecuteAsync(CancellationToken.None);

        Assert.Equal(_canary.Id, after4);
        Assert.Null(_image.CanaryVersionId);
        Assert.Contains("(it was never measured)", Assert.Single(_images.CanaryAudit).After, StringComparison.Ordinal);
    }

    private WatchCanaries Watch() => new(_images, _sessions, _machines, _groups, new OsTakeOverLimit(TimeSpan.FromMinutes(5)),
        InMemoryNodes.Local with { Name = GGnet.Core.Domain.Hostname.Parse("node-1") },
        new PublishWebhookEvents(_webhooks, _webhooks, _clock), new RecordingStatusNotifier(), _clock);

    // pc-01 of group Hall A, with an earlier session of the current version whose OS took over usualSeconds after the attach.
    private async Task<Machine> CanaryPcAsync(int? usualSeconds)
    {
        await _webhooks.AddAsync(new GGnet.Core.Domain.Webhooks.WebhookEndpoint(GGnet.Core.Domain.Webhooks.WebhookUrl.Parse("https://billing.example/hook"),
            GGnet.Core.Domain.Webhooks.WebhookEventFilter.Everything, true, "secret", Start), _ => null!, CancellationToken.None);
        var group = new MachineGroup("Hall A", null);
        await _groups.AddAsync(group, _ => null!, CancellationToken.None);
        var pc = BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01");
        await _machines.AddAsync(pc, CancellationToken.None);
        if (usualSeconds is { } seconds)
        {
            var earlier = new Session(pc.Id, _image.CurrentVersionId!.Value, SessionType.Normal, "ggnet-1", Start.AddDays(-1));
            earlier.MoveTo(SessionState.Online, Start.AddDays(-1));
            earlier.ObserveOsTookOver(Start.AddDays(-1).AddSeconds(seconds));
            earlier.MoveTo(SessionState.Stopped, Start.AddDays(-1).AddHours(8));
            await _sessions.AddAsync(earlier, _ => null!, CancellationToken.None);
        }
        _image.StartCanary(_canary, group.Id, Start);
        return pc;
    }

    // The PC's firmware attaches the canary now.
    private async Task<Session> AttachCanaryAsync(Machine pc)
    {
        var session = new Session(pc.Id, _canary.Id, SessionType.Normal, "ggnet-1", Start);
        session.MoveTo(SessionState.Ready, Start);
        session.MoveTo(SessionState.Online, _clock.GetUtcNow().UtcDateTime);
        await _sessions.AddAsync(session, _ => null!, CancellationToken.None);
        return session;
    }
}
