using System.Diagnostics;
using System.Globalization;

namespace GGnet.Bench;

/// <summary>
/// The floor GGnet is held against: a tgtd of the benchmark's own (control port and IPC socket of its own, portal on
/// loopback) and, per session disk, what a shell loop would run: <c>cp --reflink=always</c> and three <c>tgtadm</c>
/// calls (target, LUN, ACL); to remove it, <c>tgtadm --op delete --force</c> and <c>rm</c>. Each one a process.
/// </summary>
public sealed class RawTgt : IAsyncDisposable
{
    private readonly string _folder;
    private readonly TgtAdmin _tgtadm;
    private readonly Process _tgtd;

    private RawTgt(string folder, TgtAdmin tgtadm, Process tgtd, string portal, string ipcSocket)
    {
        _folder = folder;
        _tgtadm = tgtadm;
        _tgtd = tgtd;
        Portal = portal;
        IpcSocket = ipcSocket;
    }

    /// <summary>Where initiators log in: 127.0.0.1 and a port of the benchmark's own.</summary>
    public string Portal { get; }

    /// <summary>The IPC socket base path this tgtd listens on (with <see cref="ControlPort"/>).</summary>
    public string IpcSocket { get; }

    public int ControlPort => int.Parse(_tgtadm.ControlPort, CultureInfo.InvariantCulture);

    public static async Task<RawTgt> StartAsync(string folder, params string[] tgtdOptions)
    {
        Directory.CreateDirectory(folder);
        var socket = Path.Combine(folder, "tgtd.sock");
        var portal = Random.Shared.Next(33000, 40000).ToString(CultureInfo.InvariantCulture);
        var control = Random.Shared.Next(20000, 32000).ToString(CultureInfo.InvariantCulture);
        var tgtd = Process.Start(new ProcessStartInfo("/usr/sbin/tgtd", ["-f", "-C", control, "--iscsi", $"portal=127.0.0.1:{portal}", .. tgtdOptions])
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
        var tgtadm = new TgtAdmin(control, socket);
        await tgtadm.WaitUntilUpAsync();
        return new RawTgt(folder, tgtadm, tgtd, $"127.0.0.1:{portal}", socket);
    }

    /// <summary>Clones the golden image and exports it as target <paramref name="tid"/>; returns how long that took, in ms.</summary>
    public async Task<double> CreateAsync(string golden, int tid)
    {
        var id = tid.ToString(CultureInfo.InvariantCulture);
        var disk = Path.Combine(_folder, $"disk-{id}.img");
        var clock = Stopwatch.StartNew();
        await ReflinkVolume.RunAsync("cp", ["--reflink=always", golden, disk]);
        await _tgtadm.RequireAsync(["--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", id, "-T", $"iqn.2024-01.net.ggnet:bench.{id}"]);
        await _tgtadm.RequireAsync(["--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", id, "--lun", "1", "-b", disk]);
        await _tgtadm.RequireAsync(["--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", id, "-Q", "iqn.2024-01.net.ggnet:initiator.bench"]);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Removes target <paramref name="tid"/> and its disk; returns how long that took, in ms.</summary>
    public async Task<double> DeleteAsync(int tid)
    {
        var id = tid.ToString(CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        await _tgtadm.RequireAsync(["--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", id, "--force"]);
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

    public async ValueTask DisposeAsync()
    {
        // tgtd ignores SIGTERM while it has targets; the benchmark's own tgtd holds nothing anyone needs.
        _tgtd.Kill();
        await _tgtd.WaitForExitAsync();
        _tgtd.Dispose();
    }
}
