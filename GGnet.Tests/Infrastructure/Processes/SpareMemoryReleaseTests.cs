using System.Runtime.InteropServices;
using GGnet.Infrastructure.Processes;

namespace GGnet.Tests.Infrastructure.Processes;

/// <summary>GGnet gives spare memory back once a burst of work is over, never in the middle of one.</summary>
public sealed class SpareMemoryReleaseTests
{
    private const long MiB = 1 << 20;

    [Theory]
    [InlineData(80, true, 4, true)]     // a burst, then a quiet tick
    [InlineData(80, true, 40, false)]   // still in the burst
    [InlineData(20, true, 4, false)]    // too little work since the last release to be worth a full collection
    [InlineData(64, true, 15, true)]
    [InlineData(63, true, 0, false)]
    [InlineData(500, false, 4, false)]  // a running hall's steady trickle: no tick was busy, its garbage died young
    public void IsDue_AfterEnoughWorkInABurst_OnlyOnceItHasQuietened(long sinceReleaseMiB, bool burst, long sinceTickMiB, bool due)
    {
        Assert.Equal(due, SpareMemoryRelease.IsDue(sinceReleaseMiB * MiB, burst, sinceTickMiB * MiB));
    }

    [Fact]
    public void Release_HandsTheCLibrarysFreedMemoryBack_AndCollectsTheGarbage()
    {
        // Small blocks, as compiling and native code leave them: freed, they stay with the C library until trimmed.
        var blocks = Enumerable.Range(0, 20_000).Select(_ => Marshal.AllocHGlobal(2048)).ToList();
        blocks.ForEach(Marshal.FreeHGlobal);
        var garbage = Garbage();
        var collections = GC.CollectionCount(GC.MaxGeneration);

        Assert.True(SpareMemoryRelease.Release(), "glibc's malloc_trim gave nothing back");
        Assert.False(garbage.IsAlive);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > collections);
    }

    // Made in a frame of its own, so that no local of the test keeps it alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference Garbage() => new(new byte[1 << 20]);
}
