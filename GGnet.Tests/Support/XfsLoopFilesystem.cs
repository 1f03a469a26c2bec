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

    // A process the test's app started may still be letting go of a file in it: try for a few seconds, then detach it
    // lazily, so no mount outlives the test.
    public async ValueTask DisposeAsync()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if ((await Cli.Wrap("umount").WithArguments([MountPoint]).WithValidation(CommandResultValidation.None).ExecuteAsync()).ExitCode == 0)
            {
                _folder.Dispose();
                return;
            }
            await Task.Delay(250);
        }
        await Cli.Wrap("umount").WithArguments(["--lazy", MountPoint]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        _folder.Dispose();
    }
}
