using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.TestBoots;

/// <summary>
/// Test boots of candidate versions (section <c>TestBoot</c>): on by default; how long a candidate's OS may take to take its
/// disk over; the bench PC's memory.
/// </summary>
public sealed class TestBootOptions
{
    public const string Section = "TestBoot";

    /// <summary>Off: a commit is made current at once, untested.</summary>
    public bool Enabled { get; set; } = true;

    [Range(30, 3600)]
    public int LimitSeconds { get; set; } = 300;

    /// <summary>How often canaries are watched (a PC of the group that does not boot the canary rolls it back).</summary>
    [Range(1, 3600)]
    public int CanaryCheckSeconds { get; set; } = 10;

    /// <summary>Memory of the bench PC: what the image's OS needs to boot (Windows wants 2 GiB).</summary>
    [Range(256, 65536)]
    public int MemoryMiB { get; set; } = 2048;
}
