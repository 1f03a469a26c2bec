using CliWrap;

namespace GGnet.Tests.Support;

/// <summary>A small real filesystem (tmpfs; the tests run as root) mounted on a folder, for what GGnet does when a disk is full.</summary>
public sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <param name="size">As mount takes it: "64k", "16m".</param>
    public static async Task<Tmpfs> MountAsync(string path, string size)
    {
        Directory.CreateDirectory(path);
        await Cli.Wrap("mount").WithArguments(["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path]).ExecuteAsync();
        return new Tmpfs(path);
    }

    /// <summary>Writes a file until the filesystem says it is full (what another writer does to GGnet).</summary>
    public async Task FillUpAsync(string fileName = "filler")
    {
        await using var filler = File.Create(System.IO.Path.Combine(Path, fileName));
        var block = new byte[4096];
        try
        {
            while (true)
            {
                await filler.WriteAsync(block);
                await filler.FlushAsync();
            }
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync() =>
        await Cli.Wrap("umount").WithArguments([Path]).WithValidation(CommandResultValidation.None).ExecuteAsync();
}
