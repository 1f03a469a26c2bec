using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Sessions;
using GGnet.Core.Storage;
using GGnet.Core.Webhooks;
using GGnet.Infrastructure.Storage;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Infrastructure.Storage;

public sealed class SessionSpaceSamplerTests
{
    private static readonly DateTime Start = new(2026, 12, 5, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ARunningSession_IsMeasuredAsTheSamplerStarts_NotOneIntervalLater()
    {
        var clock = new FakeTimeProvider(Start);
        var notifier = new RecordingStatusNotifier();
        var webhooks = new InMemoryWebhooks();
        var machines = new InMemoryMachineRepository();
        var images = new InMemoryImages();
        var sessions = new InMemorySessions(new AfterSessionCommit(notifier, new PublishWebhookEvents(webhooks, webhooks, clock), machines, images));
        var version = images.Add("win11", "/images/win11.img");
        var running = new Session(7, version.Id, SessionType.Normal, InMemoryNodes.Local.Key, Start);
        running.AttachTarget(new Target(Iqn.Parse("iqn.2024-01.net.ggnet:session.1"), "/disks/session-1.img", IscsiBackendKind.Tgt, 1, null));
        running.MoveTo(SessionState.Ready, Start);
        await sessions.AddAsync(running, _ => null!, CancellationToken.None);
        var services = new ServiceCollection()
            .AddScoped(_ => new MeasureSessionSpace(sessions, images, machines, new RecordingSessionParts(), new RoomyStoragePool(), new StopSession(sessions, sessions, clock), notifier, InMemoryNodes.Local, clock))
            .BuildServiceProvider();
        // The sampler's clock stands still from here: only a pass made at start can measure the session.
        using var sampler = new SessionSpaceSampler(services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new StorageOptions { SessionSpaceSeconds = 30 }), clock, NullLogger<SessionSpaceSampler>.Instance);

        await sampler.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => running.OwnBytesAt is not null);
        await sampler.StopAsync(CancellationToken.None);

        Assert.Equal(Start, running.OwnBytesAt);
        Assert.Equal(0, running.OwnBytes);
    }
}
