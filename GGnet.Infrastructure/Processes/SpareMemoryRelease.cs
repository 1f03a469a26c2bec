using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Processes;

/// <summary>
/// Gives the memory a burst of work left behind back to the system once the burst is over. After a morning's boot storm,
/// an import or a handful of dashboards opened, .NET's collector keeps the garbage of objects that lived a while (it
/// collects the oldest generation rarely) and the C library keeps the blocks freed by compiling and native code: about
/// 30 MiB with 1000 PCs, 200 sessions and ten dashboards just opened (docs/benchmarks.md). So, when at least
/// <see cref="BurstBytes"/> were allocated since the last release, GGnet's memory grew by <see cref="GrowthBytes"/> since,
/// and the last <see cref="Tick"/> was quiet, GGnet collects everything once, compacted, and asks the C library to hand its
/// free pages back. It never runs in the middle of a burst (a full collection stops GGnet for some tens of milliseconds),
/// nor for the steady trickle of a running hall's checks, whose garbage dies young and doesn't grow GGnet's memory. What
/// open dashboards slowly leave in the oldest generation is given back the same way, about once in 40 s with ten.
/// </summary>
public sealed partial class SpareMemoryRelease(ILogger<SpareMemoryRelease> logger) : BackgroundService
{
    /// <summary>
    /// How often GGnet looks whether a burst has ended: what a burst left stays resident until the first quiet look after it
    /// (ten dashboards just opened: 265 MiB until then, 241 MiB after, docs/benchmark-history.md). A look reads two counters.
    /// </summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    /// <summary>Work since the last release without which there is too little garbage to look for.</summary>
    public const long BurstBytes = 16L << 20;

    /// <summary>
    /// A <see cref="Tick"/> that allocated less than this is quiet: ten live dashboards with 200 PCs running allocate 0.3–1.4 MB
    /// a second, a dashboard opening or a boot storm many times that.
    /// </summary>
    public const long QuietBytes = 3L << 20;

    /// <summary>
    /// What GGnet's memory must have grown by since the last release for another to be worth it. Ten live dashboards grow it
    /// by about 13 MiB a minute, objects that lived long enough to reach the oldest generation and died there; a release
    /// (20–40 ms of one core for GGnet's 40–55 MB of live objects) every 40 s or so gives that back.
    /// </summary>
    public const long GrowthBytes = 8L << 20;

    private long _allocatedAtRelease = GC.GetTotalAllocatedBytes();
    private long _allocatedAtTick = GC.GetTotalAllocatedBytes();
    // Before the first release, all GGnet's start took counts as growth.
    private long _memoryAtRelease;

    /// <summary>
    /// Whether to release now: enough was allocated since the last release, GGnet's memory grew since (there is something
    /// to give back), and the tick that just ended was quiet.
    /// </summary>
    public static bool IsDue(long sinceRelease, long grownSinceRelease, long sinceTick) =>
        sinceRelease >= BurstBytes && grownSinceRelease >= GrowthBytes && sinceTick < QuietBytes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var due = IsDue(allocated - _allocatedAtRelease, Environment.WorkingSet - _memoryAtRelease, allocated - _allocatedAtTick);
            _allocatedAtTick = allocated;
            if (due)
            {
                var before = Environment.WorkingSet;
                Release();
                _allocatedAtRelease = _allocatedAtTick = GC.GetTotalAllocatedBytes();
                _memoryAtRelease = Environment.WorkingSet;
                logger.LogDebug("Gave {MiB:0} MiB of spare memory back to the system", (before - _memoryAtRelease) / 1048576.0);
            }
        }
    }

    /// <summary>Collects everything, compacted and decommitted, then hands the C library's free pages back. Returns whether the C library gave any back.</summary>
    public static bool Release()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return CLibrary.Present && CLibrary.Trim(0) == 1;
    }

    // glibc's malloc_trim; another C library (musl) has none, and then only the collection runs.
    private static partial class CLibrary
    {
        public static readonly bool Present = NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "malloc_trim", out _);

        [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
        public static partial int Trim(nuint pad);
    }
}
