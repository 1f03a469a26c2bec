using CliWrap;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Images;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Images;

/// <summary>The real qemu-img: what it says about files, and conversions with their progress and cancellation.</summary>
public sealed class QemuImgTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Theory]
    [InlineData("qcow2", DiskFormat.Qcow2)]
    [InlineData("vmdk", DiskFormat.Vmdk)]
    [InlineData("vhdx", DiskFormat.Vhdx)]
    [InlineData("vpc", DiskFormat.Vpc)]
    [InlineData("raw", DiskFormat.Raw)]
    public async Task Inspect_KnowsEachFormatAndItsVirtualSize(string format, DiskFormat expected)
    {
        var path = await CreateAsync(format, "32M");

        var inspection = await Tool().InspectAsync(path, CancellationToken.None);

        Assert.Equal(expected, inspection.Format);
        Assert.True(inspection.VirtualSizeBytes >= 32 << 20);
        Assert.Null(inspection.Problem("disk"));
    }

    [Fact]
    public async Task Inspect_RunsQemuImgUnderAMemoryAndACpuLimit()
    {
        var (program, arguments) = QemuImg.InfoCommand("/srv/import/win11.vmdk");
        var limits = arguments.TakeWhile(a => a != QemuImg.Program).ToArray();

        // The very limits, as a program started behind them sees them.
        var seen = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(Cli.Wrap(program).WithArguments([.. limits, "sh", "-c", "ulimit -v; ulimit -t"]));

        Assert.Equal("prlimit", program);
        Assert.Equal([QemuImg.Program, "info", "--output=json", "/srv/import/win11.vmdk"], arguments.Skip(limits.Length));
        Assert.Equal([(QemuImg.InfoMemoryBytes / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), QemuImg.InfoCpuSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            seen.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Inspect_ABackingChain_IsRefusedWithASentence()
    {
        var golden = await CreateAsync("qcow2", "16M");
        var overlay = Path.Combine(_folder.Path, "overlay.qcow2");
        await Cli.Wrap("qemu-img").WithArguments(["create", "-q", "-f", "qcow2", "-b", golden, "-F", "qcow2", overlay]).ExecuteAsync();

        var inspection = await Tool().InspectAsync(overlay, CancellationToken.None);

        Assert.Equal("overlay.qcow2 depends on a backing file; import a standalone image (qemu-img convert it into one first).", inspection.Problem("overlay.qcow2"));
    }

    [Fact]
    public async Task Inspect_AFileThatIsNoDisk_IsRefusedWithASentence()
    {
        var text = Path.Combine(_folder.Path, "notes.txt");
        await File.WriteAllTextAsync(text, "this is not a disk image");

        var inspection = await Tool().InspectAsync(text, CancellationToken.None);

        Assert.StartsWith("notes.txt is not a disk image", inspection.Problem("notes.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_ABrokenQcow2_SaysWhatQemuImgSays()
    {
        var broken = Path.Combine(_folder.Path, "broken.qcow2");
        var header = (await File.ReadAllBytesAsync(await CreateAsync("qcow2", "16M")))[..120];
        header[4] = 0x7F; // an impossible version
        await File.WriteAllBytesAsync(broken, header);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => Tool().InspectAsync(broken, CancellationToken.None));

        Assert.StartsWith("broken.qcow2 can't be read as a disk image: ", refused.Errors["file"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_Vmdk_ToRaw_ReportsProgressToTheEnd_AndKeepsTheData()
    {
        var source = await CreateWithDataAsync("vmdk", 8);
        var destination = Path.Combine(_folder.Path, "out", "image.img");
        var reports = new List<double>();

        await Tool().ConvertAsync(source, DiskFormat.Vmdk, new DiskFile(destination, DiskFormat.Raw), new Collect(reports), CancellationToken.None);

        Assert.True(reports.Count >= 2, $"only {reports.Count} progress reports");
        Assert.Equal(100, reports[^1]);
        Assert.Equal(reports.Order(), reports);
        Assert.Equal("raw", (await Tool().InspectAsync(destination, CancellationToken.None)).FormatName);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_folder.Path, "data.raw")), (await File.ReadAllBytesAsync(destination))[..(8 << 20)]);
        Assert.False(File.Exists(destination + ".partial"));
    }

    [Fact]
    public async Task Convert_Cancelled_LeavesNoPartialOutput()
    {
        var source = await CreateWithDataAsync("qcow2", 16);
        var destination = Path.Combine(_folder.Path, "out", "slow.img");
        var started = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        // 1 MiB/s: the 16 MiB conversion takes seconds, long enough to cancel it midway.
        var converting = Tool(rateLimit: 1 << 20).ConvertAsync(source, DiskFormat.Qcow2, new DiskFile(destination, DiskFormat.Raw), new Collect([], started), cancel.Token);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => converting);

        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + ".partial"));
    }

    private static QemuImg Tool(long rateLimit = 0) => new(
        new ExternalCommand(NullLogger<ExternalCommand>.Instance),
        Options.Create(new StorageOptions { ConvertRateLimitBytesPerSecond = rateLimit }),
        NullLogger<QemuImg>.Instance);

    private async Task<string> CreateAsync(string format, string size)
    {
        var path = Path.Combine(_folder.Path, $"disk-{Guid.NewGuid():N}.{format}");
        await Cli.Wrap("qemu-img").WithArguments(["create", "-q", "-f", format, path, size]).ExecuteAsync();
        return path;
    }

    // A disk with real (random) data, so a conversion has work to do and a copy can be checked byte for byte.
    private async Task<string> CreateWithDataAsync(string format, int mebibytes)
    {
        var raw = Path.Combine(_folder.Path, "data.raw");
        var data = new byte[mebibytes << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(raw, data);
        var path = Path.Combine(_folder.Path, "source." + format);
        await Cli.Wrap("qemu-img").WithArguments(["convert", "-q", "-f", "raw", "-O", format, raw, path]).ExecuteAsync();
        return path;
    }

    private sealed class Collect(List<double> reports, TaskCompletionSource? started = null) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
            started?.TrySetResult();
        }
    }

    public void Dispose() => _folder.Dispose();
}
