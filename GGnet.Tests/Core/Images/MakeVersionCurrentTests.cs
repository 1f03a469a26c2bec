using GGnet.Core.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Images;

/// <summary>A candidate is made current once its test boot passed; one that failed only with a reason, which the audit keeps.</summary>
public sealed class MakeVersionCurrentTests
{
    private readonly InMemoryImages _images = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly ImageVersion _current;

    public MakeVersionCurrentTests() => _current = _images.Add("win11", "/images/win11.img");

    private MakeVersionCurrent MakeCurrent => new(_images, _audit, new RecordingStatusNotifier(), TimeProvider.System);

    [Fact]
    public async Task ACandidateInItsTestBoot_IsRefused_TheCurrentStays()
    {
        var candidate = _images.AddVersion(_current.ImageId, v => v.AwaitTrial());

        var refused = await Assert.ThrowsAsync<ConflictException>(() => MakeCurrent.ExecuteAsync(_current.ImageId, candidate.Id, "alice", CancellationToken.None, "in a hurry"));

        Assert.Equal("win11 v2 is still in its test boot. It can be made current once it passed (a minute or two; the Images page shows it).", refused.Message);
        Assert.Equal(_current.Id, (await _images.FindAsync(_current.ImageId, CancellationToken.None))!.CurrentVersionId);
        Assert.Empty(_audit.Events);
    }

    [Fact]
    public async Task AFailedCandidate_WithoutAReason_IsRefusedWithWhatItsTestBootFound()
    {
        var candidate = _images.AddVersion(_current.ImageId, v => v.FailTrial("The firmware could not boot its disk.", "", DateTime.UtcNow));

        var refused = await Assert.ThrowsAsync<ConflictException>(() => MakeCurrent.ExecuteAsync(_current.ImageId, candidate.Id, "alice", CancellationToken.None, "  "));

        Assert.StartsWith("win11 v2 failed its test boot: The firmware could not boot its disk. It can be made current anyway only with a reason", refused.Message, StringComparison.Ordinal);
        Assert.Equal(_current.Id, (await _images.FindAsync(_current.ImageId, CancellationToken.None))!.CurrentVersionId);
    }

    [Fact]
    public async Task AFailedCandidate_WithAReason_IsMadeCurrent_AndTheAuditKeepsTheReason()
    {
        var candidate = _images.AddVersion(_current.ImageId, v => v.FailTrial("Its OS did not take over its disk within 300.0 s.", "", DateTime.UtcNow));

        await MakeCurrent.ExecuteAsync(_current.ImageId, candidate.Id, "alice", CancellationToken.None, "Windows Update runs at first boot; checked on PC 3.");

        Assert.Equal(candidate.Id, (await _images.FindAsync(_current.ImageId, CancellationToken.None))!.CurrentVersionId);
        var entry = Assert.Single(_audit.Events);
        Assert.Equal(AuditActions.CandidateForced, entry.Action);
        Assert.Equal("alice", entry.Actor);
        Assert.Equal("current=v2 despite its failed test boot, because: Windows Update runs at first boot; checked on PC 3.", entry.After);
    }

    [Fact]
    public async Task APassedCandidate_IsMadeCurrentInOneStep_WithoutAReason()
    {
        var candidate = _images.AddVersion(_current.ImageId, v => v.PassTrial(41.5, "Its OS took over its disk 41.5 s after power-on (BIOS).", "", DateTime.UtcNow));

        await MakeCurrent.ExecuteAsync(_current.ImageId, candidate.Id, "alice", CancellationToken.None);

        Assert.Equal(candidate.Id, (await _images.FindAsync(_current.ImageId, CancellationToken.None))!.CurrentVersionId);
        Assert.Equal(AuditActions.CurrentVersionChanged, Assert.Single(_audit.Events).Action);
    }

    [Fact]
    public async Task AReasonOfSeveralLines_IsRefusedAsInput()
    {
        var candidate = _images.AddVersion(_current.ImageId, v => v.FailTrial("It failed.", "", DateTime.UtcNow));

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => MakeCurrent.ExecuteAsync(_current.ImageId, candidate.Id, "alice", CancellationToken.None, "one\ntwo"));

        Assert.Contains("overrideReason", refused.Errors.Keys);
        Assert.Equal(_current.Id, (await _images.FindAsync(_current.ImageId, CancellationToken.None))!.CurrentVersionId);
    }
}
