using GGnet.Core.Ports;

namespace GGnet.Core.Storage;

/// <summary>The write quota of the image each version belongs to, read once per version for one pass over many sessions.</summary>
internal sealed class QuotasByVersion(IImageRepository images)
{
    private readonly Dictionary<int, long?> _quotas = [];

    public async Task<long?> OfAsync(int versionId, CancellationToken cancellationToken)
    {
        if (!_quotas.TryGetValue(versionId, out var quota))
        {
            var version = await images.FindVersionAsync(versionId, cancellationToken);
            _quotas[versionId] = quota = version is null ? null : (await images.FindAsync(version.ImageId, cancellationToken))?.SessionQuotaBytes;
        }
        return quota;
    }
}
