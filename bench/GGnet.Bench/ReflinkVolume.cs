using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Bench;

/// <summary>
/// An XFS (reflink=1, 4 GiB unless asked) on a loop-mounted file in a temporary folder, with a golden image of random bytes in its
/// import folder: where GGnet keeps images and session disks in the session benchmarks. Unmounted and removed on dispose.
/// </summary>
public sealed class ReflinkVolume : IAsyncDisposable
{
    private readonly DirectoryInfo _root;

    private ReflinkVolume(DirectoryInfo root)
    {
        _root = root;
        Mount = Path.Combine(root.FullName, "xfs");
    }

    public string Mount { get; }

    /// <summary>The golden image's file name in <see cref="ImportDirectory"/>.</summary>
    public const string GoldenName = "golden.img";

    public string ImportDirectory => Path.Combine(Mount, "import");

    public string GoldenPath => Path.Combine(ImportDirectory, GoldenName);

    /// <summary>GGnet's storage settings that put images and session disks here, cloned by reflink.</summary>
    public IReadOnlyDictionary<string, string> StorageSettings => new Dictionary<string, string>
    {
        ["Storage:DiskDirectory"] = Path.Combine(Mount, "disks"),
        ["Storage:ImageDirectory"] = Path.Combine(Mount, "images"),
        ["Storage:ImportDirectory"] = ImportDirectory,
        ["Storage:CloneStrategy"] = "Reflink",
    };

    public static async Task<ReflinkVolume> CreateAsync(int goldenMiB, int sizeGiB = 4)
    {
        var volume = new ReflinkVolume(Directory.CreateTempSubdirectory("ggnet-bench-xfs-"));
        var file = Path.Combine(volume._root.FullName, "xfs.img");
        Directory.CreateDirectory(volume.Mount);
        await RunAsync("truncate", ["-s", $"{sizeGiB}G", file]);
        await RunAsync("mkfs.xfs", ["-q", "-m", "reflink=1", file]);
        await RunAsync("mount", ["-o", "loop", file, volume.Mount]);
        Directory.CreateDirectory(volume.ImportDirectory);
        var block = new byte[1 << 20];
        await using (var golden = File.Create(volume.GoldenPath))
        {
            for (var i = 0; i < goldenMiB; i++)
            {
                Random.Shared.NextBytes(block);
                await golden.WriteAsync(block);
            }
        }
        return volume;
    }

    public static async Task RunAsync(string program, string[] arguments, bool check = true)
    {
        var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {result.StandardError}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", ["-l", Mount], check: false);
        _root.Delete(recursive: true);
    }
}
