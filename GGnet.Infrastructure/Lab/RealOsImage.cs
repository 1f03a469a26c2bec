using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// The lab's real-OS image (<c>ggnet-realos</c>): Debian 12 with its root on the iSCSI disk, booting on BIOS and
/// UEFI. Built at its first use by <c>Lab/RealOs/build-realos-image.sh</c> from Debian packages (debootstrap, GRUB
/// cores written at their offsets), with the root filesystem cached in <see cref="LabOptions.RealOsCacheDirectory"/>,
/// then registered like any image, so it gets versions, sessions and every clone strategy.
/// </summary>
public sealed class RealOsImage(
    IDbContextFactory<GGnetDbContext> contexts,
    IOptions<DatabaseOptions> database,
    IOptions<LabOptions> lab,
    ExternalCommand commands,
    GGnet.Core.Nodes.LocalNode node,
    TimeProvider clock,
    ILogger<RealOsImage> logger) : IRealOsImage, IDisposable
{
    public const string Name = "ggnet-realos";

    /// <summary>The OS prints this, then its host name, once its root filesystem is up.</summary>
    public const string UpMarker = "GGNET-REALOS-UP host=";

    /// <summary>The OS prints this, then the counter its disk held at boot (it has saved the next value by then).</summary>
    public const string CounterMarker = "GGNET-REALOS-COUNTER value=";

    /// <summary>The OS prints this for each data disk it finds (a filesystem labelled ggnet-data*), with its marker and write counter.</summary>
    public const string DataMarker = "GGNET-REALOS-DATA label=";

    /// <summary>The OS prints this after its data disks, then how many it found.</summary>
    public const string DataDisksMarker = "GGNET-REALOS-DATA-DISKS found=";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public string FilePath => Path.Combine(database.Value.DataDirectory, "images", Name + ".img");

    public static string BuildScript => Path.Combine(AppContext.BaseDirectory, "Lab", "RealOs", "build-realos-image.sh");

    public async Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (File.Exists(FilePath) && await LabImageRecords.FindReadyAsync(db, Name, cancellationToken) is { } id)
            {
                return id;
            }
            if (!File.Exists(FilePath))
            {
                await BuildAsync(cancellationToken);
            }
            return await LabImageRecords.RegisterAsync(db, Name, "Lab real OS: Debian 12 with its root on this iSCSI disk; prints a counter kept on the disk at every boot.",
                FilePath, node.Key, clock.GetUtcNow().UtcDateTime, firmwareOnly: false, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Building the lab's real-OS image {Path} from Debian packages (cache {Cache})", FilePath, lab.Value.RealOsCacheDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var result = await commands.RunAsync("bash", [BuildScript, "--cache", lab.Value.RealOsCacheDirectory, "--out", FilePath], cancellationToken, BuildTimeout);
        if (!result.Succeeded)
        {
            var reason = result.Explanation.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit {result.ExitCode}";
            throw new ConflictException($"GGnet could not build the lab's real-OS image: {reason}. It needs root, Debian's package mirror and the packages " +
                "debootstrap, grub-pc-bin, grub-efi-amd64-bin, mtools, dosfstools and gdisk (sudo bash deploy/run.sh installs them).");
        }
    }

    public void Dispose() => _gate.Dispose();
}
