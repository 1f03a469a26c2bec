using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Bench;

/// <summary>What a PC does with its disk, in the data-plane benchmark.</summary>
public enum Workload
{
    /// <summary>256 KiB reads in order: a boot, a game loading its files.</summary>
    SequentialRead,

    /// <summary>4 KiB reads anywhere on the disk: an OS at work.</summary>
    RandomRead,

    /// <summary>256 KiB writes in order: an install, a download.</summary>
    SequentialWrite,

    /// <summary>4 KiB writes spread over the disk (a fixed stride): logs, a page file, settings.</summary>
    ScatteredWrite,
}

/// <summary>One PC's view of its session disk: the portal, its target and the initiator name the target admits.</summary>
public sealed record IscsiDisk(string Portal, string Target, string Initiator);

/// <summary>
/// A PC's disk traffic over iSCSI, made by userspace initiators (no kernel initiator needed): libiscsi's
/// <c>iscsi-perf</c> reads for a time; <c>qemu-img bench</c> writes through QEMU's iSCSI driver (a count of requests).
/// Each with <see cref="InFlight"/> requests in flight, as a PC's disk driver keeps them.
/// </summary>
public static partial class IscsiLoad
{
    public const int InFlight = 16;

    private const int ReadSeconds = 5;
    private const int SequentialBytes = 256 * 1024;
    private const int SmallBytes = 4096;

    /// <summary>Drives every disk at once with the workload; the MB/s of all of them together.</summary>
    public static async Task<double> RunAsync(Workload workload, IReadOnlyList<IscsiDisk> disks)
    {
        var rates = await Task.WhenAll(disks.Select(disk => OneAsync(workload, disk)));
        return rates.Sum();
    }

    public static string Describe(Workload workload) => workload switch
    {
        Workload.SequentialRead => "sequential 256 KiB reads",
        Workload.RandomRead => "random 4 KiB reads",
        Workload.SequentialWrite => "sequential 256 KiB writes",
        _ => "scattered 4 KiB writes",
    };

    private static Task<double> OneAsync(Workload workload, IscsiDisk disk) => workload switch
    {
        Workload.SequentialRead => ReadAsync(disk, SequentialBytes, random: false),
        Workload.RandomRead => ReadAsync(disk, SmallBytes, random: true),
        // 256 MiB in order; 32 MiB of 4 KiB writes, each 8 MiB + 4 KiB past the last (wrapping), so no two are neighbours.
        Workload.SequentialWrite => WriteAsync(disk, SequentialBytes, count: 1024, step: SequentialBytes),
        _ => WriteAsync(disk, SmallBytes, count: 8192, step: (8 << 20) + SmallBytes),
    };

    // iscsi-perf counts in blocks of the LUN (512 bytes on tgt); it prints the transfer size and, at the end, the average IOPS.
    private static async Task<double> ReadAsync(IscsiDisk disk, int bytes, bool random)
    {
        string[] arguments = ["-i", disk.Initiator, "-m", Invariant(InFlight), "-b", Invariant(bytes / 512), "-t", Invariant(ReadSeconds),
            .. random ? new[] { "-r" } : [], $"iscsi://{disk.Portal}/{disk.Target}/1"];
        var output = await RequireAsync("iscsi-perf", arguments);
        var transfer = TransferSize().Match(output);
        var iops = AverageIops().Matches(output);
        if (!transfer.Success || iops.Count == 0)
        {
            throw new InvalidOperationException($"iscsi-perf printed no average: {output}");
        }
        return double.Parse(iops[^1].Groups[1].Value, CultureInfo.InvariantCulture) * double.Parse(transfer.Groups[1].Value, CultureInfo.InvariantCulture) / 1e6;
    }

    private static async Task<double> WriteAsync(IscsiDisk disk, int bytes, int count, int step)
    {
        var options = $"driver=iscsi,transport=tcp,portal={disk.Portal},target={disk.Target},lun=1,initiator-name={disk.Initiator}";
        var output = await RequireAsync("qemu-img", ["bench", "-w", "-d", Invariant(InFlight), "-s", Invariant(bytes), "-S", Invariant(step),
            "-c", Invariant(count), "--image-opts", options]);
        var completed = RunCompleted().Match(output);
        if (!completed.Success)
        {
            throw new InvalidOperationException($"qemu-img bench printed no run time: {output}");
        }
        return (double)bytes * count / double.Parse(completed.Groups[1].Value, CultureInfo.InvariantCulture) / 1e6;
    }

    private static async Task<string> RequireAsync(string program, string[] arguments)
    {
        var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result.StandardOutput}{result.StandardError}");
        }
        return result.StandardOutput;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"transfer size of \d+ blocks \((\d+) byte\)")]
    private static partial Regex TransferSize();

    [GeneratedRegex(@"iops average (\d+)")]
    private static partial Regex AverageIops();

    [GeneratedRegex(@"Run completed in ([0-9.]+) seconds")]
    private static partial Regex RunCompleted();
}
