using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Boot;

/// <summary>How long a PC may stay attached by its firmware only before GGnet says its OS did not take over (Boot:OsTakeOverWarningSeconds).</summary>
public sealed record OsTakeOverLimit(TimeSpan Limit);

/// <summary>The one sentence a PC's tile and page show when its boot looks stuck; null when nothing looks wrong.</summary>
public static class BootWarnings
{
    /// <summary>How long a powered-on PC may go without asking for an address: a firmware asks within seconds.</summary>
    public static readonly TimeSpan NoAddressAfter = TimeSpan.FromSeconds(90);

    /// <param name="consoleWarning">What the lab says of a virtual PC's console (silent for long); null for a real PC.</param>
    /// <param name="imageFirmwareOnly">The session's image never logs in to its disk itself (the lab's demo boot sector).</param>
    /// <param name="poweredOnAt">When GGnet powered the (virtual) PC on, while it runs; null when GGnet does not know.</param>
    public static string? For(Machine machine, Session? session, string? consoleWarning, bool imageFirmwareOnly, OsTakeOverLimit limit, DateTime now,
        DateTime? poweredOnAt = null)
    {
        if (machine.BootStage != BootStage.Online)
        {
            return consoleWarning ?? NoAddress(machine, poweredOnAt, now);
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

    // Powered on, and not one boot step seen since (no DHCP, no script): its firmware hangs, or never reaches the network.
    private static string? NoAddress(Machine machine, DateTime? poweredOnAt, DateTime now)
    {
        if (poweredOnAt is not { } on || machine.LastSeen >= on || now - on < NoAddressAfter)
        {
            return null;
        }
        var waited = now - on;
        return $"It was powered on {(waited.TotalMinutes < 2 ? $"{(int)waited.TotalSeconds} s" : $"{(int)waited.TotalMinutes} min")} ago and has not asked for an address since: " +
            "its firmware hangs or does not boot from the network. Read its console on the machine page, then power it off and on again; " +
            "if every virtual PC does this, the server's KVM may be broken (GGnet's log and /api/v1/lab name the accelerator in use).";
    }
}
