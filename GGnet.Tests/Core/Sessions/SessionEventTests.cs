using GGnet.Core.Domain.Sessions;

namespace GGnet.Tests.Core.Sessions;

/// <summary>What a session records as it changes, and what each recorded change is audited as and published as: decided in one place.</summary>
public sealed class SessionEventTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(SessionState.Provisioning, SessionState.Ready, "session.ready", "session.ready")]
    [InlineData(SessionState.Ready, SessionState.Booting, null, null)]
    [InlineData(SessionState.Booting, SessionState.Online, null, "session.online")]
    [InlineData(SessionState.Ready, SessionState.Online, null, "session.online")]
    [InlineData(SessionState.Online, SessionState.Ready, null, "session.offline")]
    [InlineData(SessionState.Booting, SessionState.Ready, null, null)]
    [InlineData(SessionState.Online, SessionState.Stopping, "session.stop-requested", null)]
    [InlineData(SessionState.Stopping, SessionState.Stopped, "session.stopped", "session.stopped")]
    [InlineData(SessionState.Provisioning, SessionState.Failed, "session.failed", "session.failed")]
    public void AMove_IsAuditedAndPublished_AsItsStatesSay(SessionState from, SessionState to, string? auditAction, string? webhookType)
    {
        var moved = new SessionMoved(new Session(1, 1, SessionType.Normal, "node", Now), from, to, Now, "alice", "why");

        Assert.Equal(auditAction, moved.Audit?.Action);
        Assert.Equal(webhookType, moved.WebhookType);
    }

    [Fact]
    public void AStop_IsRecordedWithWhoAskedAndTheStateItLeft_AndTakenOnce()
    {
        var session = new Session(7, 1, SessionType.Normal, "node", Now);
        session.MoveTo(SessionState.Online, Now);
        session.TakeHappened();

        session.Stop("alice", Now.AddMinutes(1));
        var happened = session.TakeHappened();

        var audit = Assert.IsType<SessionMoved>(Assert.Single(happened)).Audit!;
        Assert.Equal(("alice", "session.stop-requested", "state=Online", "state=Stopping"), (audit.Actor, audit.Action, audit.Before, audit.After));
        Assert.Empty(session.TakeHappened());
    }

    [Fact]
    public void AFailure_IsAuditedWithItsReason_AndAnOsTakingOverOnce_IsRecordedOnce()
    {
        var session = new Session(7, 1, SessionType.Normal, "node", Now);

        session.Fail("the disk folder is full", Now);
        session.ObserveOsTookOver(Now);
        session.ObserveOsTookOver(Now.AddSeconds(5));
        var happened = session.TakeHappened();

        Assert.Equal("the disk folder is full", happened.OfType<SessionMoved>().Single().Audit!.After);
        Assert.Single(happened.OfType<SessionOsTookOver>());
        Assert.Null(happened.OfType<SessionOsTookOver>().Single().Audit);
    }
}
