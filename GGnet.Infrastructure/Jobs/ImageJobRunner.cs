using GGnet.Core.Images;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>Image work Hangfire runs, in its own queue so a long conversion never holds up a session start.</summary>
public sealed class ImageJobRunner(ConvertImageVersion convert, Microsoft.Extensions.Logging.ILogger<ImageJobRunner> logger)
{
    public const string Queue = "images";

    // A conversion that fails says why on the version; the admin imports again after fixing the file.
    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public async Task ConvertAsync(int versionId, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImageVersionId"] = versionId });
        await convert.ExecuteAsync(versionId, cancellationToken);
    }
}
