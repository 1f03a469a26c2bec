using System.Collections.Concurrent;

namespace GGnet.Core.Sessions;

/// <summary>How far the disk copies of sessions being provisioned here are (full copies take a while; clones are instant).</summary>
public sealed class ProvisioningProgress
{
    private readonly ConcurrentDictionary<int, double> _percent = new();

    public double? Of(int sessionId) => _percent.TryGetValue(sessionId, out var percent) ? percent : null;

    public void Report(int sessionId, double percent) => _percent[sessionId] = percent;

    public void Done(int sessionId) => _percent.TryRemove(sessionId, out _);
}
