using System.Text;
using GGnet.Infrastructure.Files;
using GGnet.Tests.Support;

namespace GGnet.Tests.Infrastructure.Files;

/// <summary>
/// Both ways GGnet writes a file (synced to disk, or derived and written again at start) replace it whole: a reader that
/// opened the old file keeps reading it, the path holds the new bytes, and nothing is left beside it.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<bool> Derived => new() { false, true };

    [Theory]
    [MemberData(nameof(Derived))]
    public async Task AWrite_ReplacesTheFileWhole_AReaderOfTheOldFileKeepsTheOldBytes(bool derived)
    {
        var path = Path.Combine(_directory.Path, "machines", "52-54-00-00-00-01.ipxe");
        await WriteAsync(path, "#!ipxe\necho old\n", derived);

        await using (var reader = File.OpenRead(path))
        {
            await WriteAsync(path, "#!ipxe\necho new, and longer\n", derived);

            Assert.Equal("#!ipxe\necho old\n", await new StreamReader(reader).ReadToEndAsync());
        }
        Assert.Equal("#!ipxe\necho new, and longer\n", await File.ReadAllTextAsync(path));
        Assert.Equal(["52-54-00-00-00-01.ipxe"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Derived))]
    public async Task AWriteThatIsCancelled_LeavesTheOldFile_AndNoTemporaryFile(bool derived)
    {
        var path = Path.Combine(_directory.Path, "boot.ipxe");
        await WriteAsync(path, "#!ipxe\nchain machines/${mac:hexhyp}.ipxe\n", derived);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => derived
            ? AtomicFile.WriteDerivedAsync(path, Encoding.ASCII.GetBytes("half"), cancelled.Token)
            : AtomicFile.WriteAsync(path, Encoding.ASCII.GetBytes("half"), cancelled.Token));

        Assert.Equal("#!ipxe\nchain machines/${mac:hexhyp}.ipxe\n", await File.ReadAllTextAsync(path));
        Assert.Equal(["boot.ipxe"], Directory.EnumerateFileSystemEntries(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ADerivedFile_IsReadableByTheDaemons_ASecretIsReadableByItsOwnerOnly()
    {
        var script = Path.Combine(_directory.Path, "script.ipxe");
        var secret = Path.Combine(_directory.Path, "first-password");

        await AtomicFile.WriteDerivedAsync(script, Encoding.ASCII.GetBytes("#!ipxe\n"), CancellationToken.None);
        await AtomicFile.WriteAsync(secret, Encoding.ASCII.GetBytes("s3cret\n"), CancellationToken.None, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal(AtomicFile.ReadableByAll, File.GetUnixFileMode(script));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
    }

    public void Dispose() => _directory.Dispose();

    private static Task WriteAsync(string path, string content, bool derived) => derived
        ? AtomicFile.WriteDerivedAsync(path, Encoding.ASCII.GetBytes(content), CancellationToken.None)
        : AtomicFile.WriteAsync(path, Encoding.ASCII.GetBytes(content), CancellationToken.None);
}
