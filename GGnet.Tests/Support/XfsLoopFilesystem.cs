using CliWrap;

namespace GGnet.Tests.Support;

/// <summary>A real XFS filesystem with reflink=1 in a sparse file (512 MiB unless told), loop-mounted for one test and removed after.</summary>
public sealed class XfsLoopFilesystem : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();

    private XfsLoopFilesystem()
    {
    }

    public string MountPoint => Path.Combine(_folder.Path, "mnt");

    public static async Task<XfsLoopFilesystem> CreateAsync(long sizeBytes = 512L << 20)
    {
        var filesystem = new XfsLoopFilesystem();
        var backing = Path.Combine(filesystem._folder.Path, "xfs.img");
        await using (var file = File.Create(backing))
        {
            file.SetLength(sizeBytes);
        }
        Directory.CreateDirectory(filesystem.MountPoint);
        await Cli.Wrap("mkfs.xfs").WithArguments(["-q", "-m", "reflink=1", backing]).ExecuteAsync();
        await Cli.Wrap("mount").WithArguments(["-o", "loop", backing, filesystem.MountPoint]).ExecuteAsync();
        return filesystem;
    }

    public async ValueTask DisposeAsync()
    {
        await Cli.Wrap("umount").WithArguments([MountPoint]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        _folder.Dispose();
    }
}
