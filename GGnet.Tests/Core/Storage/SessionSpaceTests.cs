using GGnet.Core.Domain.Sessions;
using GGnet.Core.Storage;

namespace GGnet.Tests.Core.Storage;

/// <summary>What a session wrote against its image's write quota, and whether the storage can admit more sessions.</summary>
public sealed class SessionSpaceTests
{
    private const long GiB = 1L << 30;
    private static readonly DateTime Now = new(2026, 12, 5, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AMeasure_IsSavedFirst_ThenOnlyWhenItMovedBy16MiB()
    {
        var session = new Session(1, 1, SessionType.Normal, "node", Now);

        var first = session.MeasureOwnBytes(100 << 20, null, Now);
        var small = session.MeasureOwnBytes((100 << 20) + (1 << 20), null, Now.AddSeconds(30));
        var moved = session.MeasureOwnBytes(200 << 20, null, Now.AddSeconds(60));

        Assert.Equal((true, false, true), (first, small, moved));
        Assert.Equal(200 << 20, session.OwnBytes);
        Assert.Empty(session.TakeHappened());
    }

    [Fact]
    public void At80PercentOfItsQuota_ASessionIsWarnedAboutOnce_AuditedAndPublishedAsSpaceLow()
    {
        var session = new Session(1, 1, SessionType.Normal, "node", Now);

        var below = session.MeasureOwnBytes(800L << 20, GiB, Now);
        var warned = session.MeasureOwnBytes(820L << 20, GiB, Now.AddSeconds(30));
        var again = session.MeasureOwnBytes(830L << 20, GiB, Now.AddSeconds(60));
        var happened = session.TakeHappened();

        Assert.Equal((true, true, false), (below, warned, again));
        Assert.Equal(Now.AddSeconds(30), session.SpaceLowAt);
        var low = Assert.IsType<SessionSpaceLow>(Assert.Single(happened));
        Assert.Equal(("session.space-low", "system", $"own-bytes={820L << 20} quota-bytes={GiB}"), (low.Audit!.Action, low.Audit.Actor, low.Audit.After));
        Assert.Equal("session.space-low", low.WebhookType);
    }

    [Fact]
    public void Admission_WithoutAnyQuota_LeavesItToTheFillLevel()
    {
        Assert.Null(SessionAdmission.Refusal(Usage(freeGiB: 0), [], null, 1));
    }

    [Fact]
    public void Admission_AdmitsWhatFits_AndRefusesWhatDoesNot_NamingTheNumbers()
    {
        // Two running sessions may write 10 − 4 GiB more and nothing (one wrote 12 of its 10); a new one 10; 1 GiB reserve: 17 GiB needed.
        IReadOnlyList<(long, long)> running = [(10 * GiB, 4 * GiB), (10 * GiB, 12 * GiB)];

        var fits = SessionAdmission.Refusal(Usage(freeGiB: 17), running, 10 * GiB, 1);
        var refusal = SessionAdmission.Refusal(Usage(freeGiB: 16), running, 10 * GiB, 1);
        var many = SessionAdmission.Refusal(Usage(freeGiB: 26), running, 10 * GiB, 2);

        Assert.Null(fits);
        Assert.Equal("The session disk storage (/srv/ggnet/disks) has 16.0 GiB free, but its 2 running sessions may still write 6.0 GiB within their quotas, "
            + "this one up to 10.0 GiB, and 1.0 GiB stays in reserve: 1.0 GiB short. Stop sessions, free space, or lower the images' write quotas (Images).", refusal);
        Assert.Contains("these 2 up to 20.0 GiB", many, StringComparison.Ordinal);
    }

    private static StorageUsage Usage(long freeGiB) => new("/srv/ggnet/disks", 100 * GiB, freeGiB * GiB, 80, 95, GiB);
}
