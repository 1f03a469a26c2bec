using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Tftp;
using GGnet.Tests.Support;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Tftp;

/// <summary>The real tftpd-hpa, started on 127.0.0.1, serves exactly the bytes GGnet wrote, and nothing outside its root.</summary>
public sealed class TftpServeTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private Process? _tftpd;
    private int _port;

    private string Root => Path.Combine(_directory.Path, "root");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        // tftpd drops to the 'tftp' user: the root must be readable by it.
        File.SetUnixFileMode(_directory.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "secret.txt"), "outside the root");
        _port = FreeUdpPort();
        _tftpd = Process.Start(new ProcessStartInfo("/usr/sbin/in.tftpd", ["--foreground", "--listen", "--address", $"127.0.0.1:{_port}", "--secure", Root])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("in.tftpd did not start");
        await Task.Delay(200);
    }

    [Fact]
    public async Task Tftpd_ServesTheScriptGGnetWrote_ByteIdentical()
    {
        var store = Store();
        var script = Encoding.UTF8.GetBytes(IpxeBody());

        await store.WriteAsync("machines/52-54-00-00-00-01.ipxe", script, CancellationToken.None);
        var fetched = await FetchAsync("machines/52-54-00-00-00-01.ipxe");

        Assert.Equal(script, fetched);
    }

    [Fact]
    public async Task Tftpd_ServesABinaryByteIdentical()
    {
        var store = Store();
        var binary = new byte[300_000];
        new Random(42).NextBytes(binary);

        await store.WriteAsync("undionly.kpxe", binary, CancellationToken.None);
        var fetched = await FetchAsync("undionly.kpxe");

        Assert.Equal(binary, fetched);
    }

    [Fact]
    public async Task Tftpd_TraversalRequest_GetsNothingFromOutsideTheRoot()
    {
        var fetched = await FetchAsync("../secret.txt");

        Assert.Null(fetched);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("machines/../../secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("machines/./x.ipxe")]
    [InlineData("")]
    [InlineData("x\0.ipxe")]
    public async Task Store_PathLeavingTheRoot_IsRefused(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store().WriteAsync(path, new byte[] { 1 }, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(_directory.Path, "x.ipxe")));
    }

    [Fact]
    public async Task Store_NoticesATftpDownload_ButNotItsOwnComparisons()
    {
        var store = Store();
        var script = Encoding.UTF8.GetBytes(IpxeBody());
        await store.WriteAsync("machines/52-54-00-00-00-09.ipxe", script, CancellationToken.None);
        await Task.Delay(20);
        await store.WriteAsync("machines/52-54-00-00-00-09.ipxe", script, CancellationToken.None);

        var beforeDownload = await store.ReadSinceWrittenAsync("machines/52-54-00-00-00-09.ipxe", CancellationToken.None);
        await Task.Delay(20);
        await FetchAsync("machines/52-54-00-00-00-09.ipxe");
        var afterDownload = await store.ReadSinceWrittenAsync("machines/52-54-00-00-00-09.ipxe", CancellationToken.None);

        Assert.Null(beforeDownload);
        Assert.NotNull(afterDownload);
    }

    [Fact]
    public async Task Store_SameBytesTwice_WritesOnce()
    {
        var store = Store();

        var first = await store.WriteAsync("boot.ipxe", Encoding.UTF8.GetBytes("#!ipxe\n"), CancellationToken.None);
        var second = await store.WriteAsync("boot.ipxe", Encoding.UTF8.GetBytes("#!ipxe\n"), CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        Assert.Empty(Directory.GetFiles(Root, ".*"));
    }

    private TftpBootFileStore Store() => new(Options.Create(new BootOptions { TftpRoot = Root }));

    private static string IpxeBody() => "#!ipxe\necho GGnet test\nsanboot iscsi:10.99.0.1:::1:iqn.2024-01.net.ggnet:session.1\n";

    // tftp-hpa's client: binary mode (its default netascii would change the bytes), and it exits 0 even on errors.
    private async Task<byte[]?> FetchAsync(string remote)
    {
        var local = Path.Combine(_directory.Path, "fetched-" + Guid.NewGuid().ToString("N"));
        await Cli.Wrap("/usr/bin/tftp")
            .WithArguments(["-m", "binary", "127.0.0.1", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "get", remote, local])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return File.Exists(local) && new FileInfo(local).Length > 0 ? await File.ReadAllBytesAsync(local) : null;
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async Task DisposeAsync()
    {
        if (_tftpd is { HasExited: false })
        {
            _tftpd.Kill();
            await _tftpd.WaitForExitAsync();
        }
        Dispose();
    }

    public void Dispose()
    {
        _tftpd?.Dispose();
        _directory.Dispose();
    }
}
