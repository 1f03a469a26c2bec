using System.Globalization;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Images;
using GGnet.Core.Iscsi;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Bench;

/// <summary>What a PC's disk is, in the data-plane benchmark.</summary>
public enum DiskKind
{
    /// <summary>The floor: tgt serving the image file itself, no session disk at all.</summary>
    ImageFile,

    /// <summary>A full copy of the image (<c>Storage:CloneStrategy</c> Copy).</summary>
    FullCopy,

    /// <summary>A reflink clone on XFS (Reflink).</summary>
    ReflinkClone,

    /// <summary>A qcow2 overlay served by qemu-storage-daemon over FUSE (Overlay).</summary>
    Overlay,
}

/// <summary>
/// PCs' session disks of one kind, each exported as its own target by GGnet's own tgt code (<see cref="TgtBackend"/>
/// on a tgtd of the benchmark's): the overlays made and served by GGnet's <see cref="OverlayDiskCloner"/>, copies and
/// clones by the <c>cp</c> GGnet runs. Disposing removes the targets, stops the exports and deletes the disks.
/// </summary>
public sealed class SessionDiskSet : IAsyncDisposable
{
    private const string Authority = "iqn.2024-01.net.ggnet";

    private readonly TgtBackend _tgt;
    private readonly OverlayDiskCloner? _overlays;
    private readonly List<(Iqn Target, string Disk)> _made = [];

    private SessionDiskSet(TgtBackend tgt, OverlayDiskCloner? overlays)
    {
        _tgt = tgt;
        _overlays = overlays;
    }

    public List<IscsiDisk> Disks { get; } = [];

    public static async Task<SessionDiskSet> MakeAsync(DiskKind kind, int pcs, string image, string folder, RawTgt tgtd)
    {
        Directory.CreateDirectory(folder);
        var commands = new ExternalCommand(NullLogger<ExternalCommand>.Instance);
        var overlays = kind == DiskKind.Overlay
            ? new OverlayDiskCloner(commands, new FuseExports(commands, NullLogger<FuseExports>.Instance),
                new SessionDiskFolder(Options.Create(new StorageOptions { DiskDirectory = folder }), Options.Create(new DatabaseOptions()), commands))
            : null;
        var set = new SessionDiskSet(TgtBackendFor(tgtd), overlays);
        for (var pc = 1; pc <= pcs; pc++)
        {
            var disk = kind == DiskKind.ImageFile ? image : Path.Combine(folder, $"session-{pc.ToString(CultureInfo.InvariantCulture)}.img");
            await set.MakeDiskAsync(kind, image, disk);
            var target = Iqn.Parse($"{Authority}:session.{pc.ToString(CultureInfo.InvariantCulture)}");
            var initiator = Iqn.Parse($"{Authority}:initiator.bench-{pc.ToString(CultureInfo.InvariantCulture)}");
            await set._tgt.CreateTargetAsync(new IscsiTargetSpec(target, disk, initiator, Chap: null), CancellationToken.None);
            set._made.Add((target, disk));
            set.Disks.Add(new IscsiDisk(tgtd.Portal, target.Value, initiator.Value));
        }
        return set;
    }

    private async Task MakeDiskAsync(DiskKind kind, string image, string disk)
    {
        switch (kind)
        {
            case DiskKind.FullCopy:
                await ReflinkVolume.RunAsync("cp", ["--reflink=never", "--sparse=always", "--", image, disk]);
                break;
            case DiskKind.ReflinkClone:
                await ReflinkVolume.RunAsync("cp", ["--reflink=always", "--", image, disk]);
                break;
            case DiskKind.Overlay:
                await _overlays!.CloneAsync(new DiskFile(image, DiskFormat.Raw), disk, CancellationToken.None);
                await _overlays.ServeAsync(disk, CancellationToken.None);
                break;
        }
    }

    private static TgtBackend TgtBackendFor(RawTgt tgtd)
    {
        var options = Options.Create(new GGnet.Infrastructure.Iscsi.IscsiOptions { TgtControlPort = tgtd.ControlPort, TgtIpcSocket = tgtd.IpcSocket });
        return new TgtBackend(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(options), options, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (target, disk) in _made)
        {
            await _tgt.DeleteTargetAsync(target, CancellationToken.None);
            if (_overlays is not null)
            {
                await _overlays.ReleaseAsync(disk, CancellationToken.None);
                await _overlays.DeleteAsync(disk, CancellationToken.None);
            }
            else if (Path.GetFileName(disk).StartsWith("session-", StringComparison.Ordinal))
            {
                File.Delete(disk);
            }
        }
        _tgt.Dispose();
    }
}
