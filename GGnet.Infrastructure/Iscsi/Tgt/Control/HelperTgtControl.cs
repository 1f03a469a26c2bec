using GGnet.Infrastructure.RootHelper;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>tgtd through GGnet's root helper: what the service uses, since tgtd answers root only.</summary>
public sealed class HelperTgtControl(HelperClient helper) : ITgtControl
{
    public async Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken)
    {
        var (reply, problem) = await helper.SendAsync<TgtReply>(new HelperRequest { Tgt = request }, cancellationToken);
        return reply ?? new TgtReply(TgtStatus.Unreachable, problem ?? "GGnet's helper sent an empty answer");
    }
}
