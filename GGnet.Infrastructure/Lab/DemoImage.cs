using System.Text;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// The lab's demo image, built on first use: 4 MiB whose boot sector reads sector 2048 through the BIOS (that is,
/// over iSCSI) and prints the banner stored there on the serial console, then stays up.
/// </summary>
public sealed class DemoImage(IDbContextFactory<GGnetDbContext> contexts, IOptions<DatabaseOptions> database, GGnet.Core.Nodes.LocalNode node, TimeProvider clock) : IDemoImage, IDisposable
{
    public const string Name = "ggnet-demo";
    public const string Banner = "GGnet demo disk: this PC booted over iSCSI from GGnet.";
    private const int SizeBytes = 4 << 20;
    private const int BannerSector = 2048;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public string FilePath => Path.Combine(database.Value.DataDirectory, "images", Name + ".img");

    public async Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!File.Exists(FilePath) || !(await File.ReadAllBytesAsync(FilePath, cancellationToken)).AsSpan().SequenceEqual(Disk()))
            {
                await AtomicFile.WriteAsync(FilePath, Disk(), cancellationToken);
            }
            return await LabImageRecords.RegisterAsync(db, Name, "Lab demo: prints a banner read from the disk over iSCSI.", FilePath, node.Key,
                clock.GetUtcNow().UtcDateTime, firmwareOnly: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The demo disk's bytes: the boot sector (with its partition table) at LBA 0, the banner at LBA 2048.</summary>
    public static byte[] Disk()
    {
        var disk = new byte[SizeBytes];
        using (var bootSector = typeof(DemoImage).Assembly.GetManifestResourceStream("GGnet.DemoDisk.BootSector")
            ?? throw new InvalidOperationException("GGnet's demo boot sector is missing from the build."))
        {
            bootSector.ReadExactly(disk, 0, 512);
        }
        Encoding.ASCII.GetBytes(Banner + "\r\n\0").CopyTo(disk, BannerSector * 512);
        return disk;
    }

    public void Dispose() => _gate.Dispose();
}
