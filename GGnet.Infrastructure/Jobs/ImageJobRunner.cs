using GGnet.Core.Images;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>Image work Hangfire runs, in its own queue so a long conversion never holds up a session start.</summary>
public sealed class ImageJobRunner(ConvertImageVersion convert)
{
    public const string Queue = "images";

    // A conversion that fails says why on the version; the admin imports again after fixing the file.
    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public Task ConvertAsync(int versionId, CancellationToken cancellationToken) => convert.ExecuteAsync(versionId, cancellationToken);
}
