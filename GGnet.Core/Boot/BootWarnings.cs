using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Boot;

/// <summary>How long a PC may stay attached by its firmware only before GGnet says its OS did not take over (Boot:OsTakeOverWarningSeconds).</summary>
public sealed record OsTakeOverLimit(TimeSpan Limit);

/// <summary>The one sentence a PC's tile and page show when its boot looks stuck; null when nothing looks wrong.</summary>
public static class BootWarnings
{
    /// <param name="consoleWarning">What the lab says of a virtual PC's console (silent for long); null for a real PC.</param>
    /// <param name="imageFirmwareOnly">The session's image never logs in to its disk itself (the lab's demo boot sector).</param>
    public static string? For(Machine machine, Session? session, string? consoleWarning, bool imageFirmwareOnly, OsTakeOverLimit limit, DateTime now)
    {
        if (machine.BootStage != BootStage.Online)
        {
            return consoleWarning;
        }
        if (session is not { State: SessionState.Online, OsTookOverAt: null } || imageFirmwareOnly)
        {
            return null;
        }
        var attached = now - session.UpdatedAt;
        return attached < limit.Limit
            ? null
            : $"Its disk has been attached by its firmware only for {(int)attached.TotalMinutes} min: its operating system has not logged in to the disk itself. " +
              "Usually the image lacks the driver of this PC's network card (Windows then stops with INACCESSIBLE_BOOT_DEVICE) or was not prepared " +
              "for iSCSI boot. Look at the PC's screen, then update the image in a maintenance session on a PC of this model.";
    }
}
