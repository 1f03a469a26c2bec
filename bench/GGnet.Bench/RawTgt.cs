using System.Diagnostics;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Bench;

/// <summary>
/// The floor GGnet is held against: a tgtd of the benchmark's own (control port and IPC socket of its own, portal on
/// loopback) and, per session disk, what a shell loop would run: <c>cp --reflink=always</c> and three <c>tgtadm</c>
/// calls (target, LUN, ACL); to remove it, <c>tgtadm --op delete --force</c> and <c>rm</c>. Each one a process.
/// </summary>
public sealed class RawTgt : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _control;
    private readonly Dictionary<string, string?> _environment;
    private readonly Process _tgtd;

    private RawTgt(string folder, string control, Process tgtd, Dictionary<string, string?> environment)
    {
        _folder = folder;
        _control = control;
        _tgtd = tgtd;
        _environment = environment;
    }

    public static async Task<RawTgt> StartAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var socket = Path.Combine(folder, "tgtd.sock");
        var portal = Random.Shared.Next(33000, 40000).ToString(CultureInfo.InvariantCulture);
        var control = Random.Shared.Next(20000, 32000).ToString(CultureInfo.InvariantCulture);
        var tgtd = Process.Start(new ProcessStartInfo("/usr/sbin/tgtd", ["-f", "-C", control, "--iscsi", $"portal=127.0.0.1:{portal}"])
        {
            Environment = { ["TGT_IPC_SOCKET"] = socket },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("tgtd did not start.");
        // Read and dropped: tgtd writes a line per LUN, and stops when its pipe is full.
        tgtd.OutputDataReceived += (_, _) => { };
        tgtd.ErrorDataReceived += (_, _) => { };
        tgtd.BeginOutputReadLine();
        tgtd.BeginErrorReadLine();
        var raw = new RawTgt(folder, control, tgtd, new Dictionary<string, string?> { ["TGT_IPC_SOCKET"] = socket });
        for (var attempt = 0; attempt < 100 && (await raw.TgtadmAsync(["--op", "show", "--mode", "target"])).ExitCode != 0; attempt++)
        {
            await Task.Delay(100);
        }
        return raw;
    }

    /// <summary>Clones the golden image and exports it as target <paramref name="tid"/>; returns how long that took, in ms.</summary>
    public async Task<double> CreateAsync(string golden, int tid)
    {
        var id = tid.ToString(CultureInfo.InvariantCulture);
        var disk = Path.Combine(_folder, $"disk-{id}.img");
        var clock = Stopwatch.StartNew();
        await ReflinkVolume.RunAsync("cp", ["--reflink=always", golden, disk]);
        await RequireAsync(["--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", id, "-T", $"iqn.2024-01.net.ggnet:bench.{id}"]);
        await RequireAsync(["--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", id, "--lun", "1", "-b", disk]);
        await RequireAsync(["--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", id, "-Q", "iqn.2024-01.net.ggnet:initiator.bench"]);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Removes target <paramref name="tid"/> and its disk; returns how long that took, in ms.</summary>
    public async Task<double> DeleteAsync(int tid)
    {
        var id = tid.ToString(CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        await RequireAsync(["--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", id, "--force"]);
        await ReflinkVolume.RunAsync("rm", ["-f", Path.Combine(_folder, $"disk-{id}.img")]);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Targets 1..<paramref name="count"/> made <paramref name="parallel"/> at a time (as xargs -P would); the wall time in s.</summary>
    public async Task<double> CreateManyAsync(string golden, int count, int parallel)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (tid, _) => await CreateAsync(golden, tid));
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Targets 1..<paramref name="count"/> removed <paramref name="parallel"/> at a time; the wall time in s.</summary>
    public async Task<double> DeleteManyAsync(int count, int parallel)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (tid, _) => await DeleteAsync(tid));
        return clock.Elapsed.TotalSeconds;
    }

    private Task<BufferedCommandResult> TgtadmAsync(string[] arguments) =>
        Cli.Wrap("/usr/sbin/tgtadm").WithArguments(["-C", _control, .. arguments]).WithEnvironmentVariables(_environment)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    private async Task RequireAsync(string[] arguments)
    {
        var result = await TgtadmAsync(arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"tgtadm {string.Join(' ', arguments)}: {result.StandardError}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // tgtd ignores SIGTERM while it has targets; the benchmark's own tgtd holds nothing anyone needs.
        _tgtd.Kill();
        await _tgtd.WaitForExitAsync();
        _tgtd.Dispose();
    }
}
