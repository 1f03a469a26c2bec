namespace GGnet.Core.Domain.Schedules;

/// <summary>The bounds of a schedule's boot waves.</summary>
public static class BootWavesLimits
{
    public const int MaxWaveSize = 1000;

    public const int MaxWaveSeconds = 3600;

    /// <summary>Paced by "online": the longest the next wave waits for the last one.</summary>
    public static readonly TimeSpan MaxWaitForOnline = TimeSpan.FromMinutes(5);

    /// <summary>Paced by "online": how often the next wave looks whether the last one is online.</summary>
    public static readonly TimeSpan OnlinePoll = TimeSpan.FromSeconds(5);
}
