using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Support;

/// <summary>
/// Overlay exports outlive GGnet on purpose (PCs keep their disks across a restart); a test's app is thrown away
/// with its folder, so its exports are stopped by their pid files first.
/// </summary>
public static class FuseLeftovers
{
    public static async Task StopAllAsync(string diskDirectory)
    {
        var pidFiles = Path.Combine(diskDirectory, ".exports");
        if (!Directory.Exists(pidFiles))
        {
            return;
        }
        var exports = new FuseExports(new ExternalCommand(NullLogger<ExternalCommand>.Instance), NullLogger<FuseExports>.Instance);
        foreach (var pidFile in Directory.EnumerateFiles(pidFiles, "*.pid"))
        {
            await exports.StopAsync(Path.Combine(diskDirectory, Path.GetFileNameWithoutExtension(pidFile)), CancellationToken.None);
        }
    }
}
