using GGnet.Core.Iscsi;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Keeps the CHAP policies saved, in order, instead of writing chap.json.</summary>
public sealed class RecordingChapStore : IChapSettingStore
{
    public List<ChapPolicy> Saved { get; } = [];

    public Task SaveAsync(ChapPolicy policy, CancellationToken cancellationToken)
    {
        Saved.Add(policy);
        return Task.CompletedTask;
    }
}
