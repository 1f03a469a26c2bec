using System.Runtime.InteropServices;
using GGnet.Infrastructure.Processes;

namespace GGnet.Tests.Infrastructure.Processes;

/// <summary>GGnet gives spare memory back once a burst of work is over, never in the middle of one.</summary>
public sealed class SpareMemoryReleaseTests
{
    private const long MiB = 1 << 20;

    [Theory]
    [InlineData(80, 30, 1, true)]     // a burst that left memory behind, then a quiet tick
    [InlineData(80, 30, 40, false)]   // still in the burst
    [InlineData(15, 30, 1, false)]    // too little work since the last release to have left garbage
    [InlineData(16, 8, 2, true)]      // ten live dashboards, a minute after the last release
    [InlineData(64, 16, 3, false)]    // a tick busier than ten live dashboards
    [InlineData(500, 7, 1, false)]    // a running hall's steady trickle: its garbage died young, GGnet's memory stayed as it was
    public void IsDue_AfterEnoughWorkThatLeftMemoryBehind_OnlyOnceItHasQuietened(long sinceReleaseMiB, long grownMiB, long sinceTickMiB, bool due)
    {
        Assert.Equal(due, SpareMemoryRelease.IsDue(sinceReleaseMiB * MiB, grownMiB * MiB, sinceTickMiB * MiB));
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
