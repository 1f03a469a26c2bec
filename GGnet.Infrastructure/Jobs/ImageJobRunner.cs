using GGnet.Core.Images;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>Image work Hangfire runs, on its node's image queue so a long conversion or test boot never holds up a session start.</summary>
public sealed class ImageJobRunner(ConvertImageVersion convert, TestCandidate test, Microsoft.Extensions.Logging.ILogger<ImageJobRunner> logger)
{
    // A conversion that fails says why on the version; the admin imports again after fixing the file.
    [AutomaticRetry(Attempts = 0)]
    public async Task ConvertAsync(int versionId, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImageVersionId"] = versionId });
        await convert.ExecuteAsync(versionId, cancellationToken);
    }

    // A test boot says how it ended on the version; one cut short by a stop runs again from the start when Hangfire requeues it.
    [AutomaticRetry(Attempts = 0)]
    public async Task TestAsync(int versionId, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImageVersionId"] = versionId });
        await test.ExecuteAsync(versionId, cancellationToken);
    }
}
