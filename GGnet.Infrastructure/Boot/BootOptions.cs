using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Boot;

/// <summary>Where boot files live and how boot requests are served. Section <c>Boot</c>.</summary>
public sealed class BootOptions
{
    public const string Section = "Boot";

    /// <summary>The TFTP server's root; GGnet writes boot.ipxe, the iPXE binaries and machines/*.ipxe there.</summary>
    [Required]
    public string TftpRoot { get; set; } = "/var/lib/tftpboot";

    /// <summary>Where health asks tftpd for a file to see that it answers (address:port); empty: not asked.</summary>
    public string TftpProbeAddress { get; set; } = "127.0.0.1:69";

    /// <summary>Where Debian's ipxe package puts undionly.kpxe, ipxe.efi and snponly.efi.</summary>
    [Required]
    public string IpxeDirectory { get; set; } = "/usr/lib/ipxe";

    /// <summary>Boot requests one client (its card where the server's ARP cache shows one, else its address) may make per minute before getting 429.</summary>
    [Range(1, 100_000_000)]
    public int RequestsPerMinutePerClient { get; set; } = 120;

    /// <summary>Boot requests from all clients together per minute before getting 429: a bound on what anonymous requests can cost.</summary>
    [Range(1, 100_000_000)]
    public int RequestsPerMinute { get; set; } = 60_000;

    /// <summary>The most PCs the Discovered list keeps: a new unknown MAC address then replaces the one seen longest ago.</summary>
    [Range(1, 1_000_000)]
    public int MaxDiscoveredPcs { get; set; } = 500;

    /// <summary>Discovered PCs not seen for this many days leave the list (every night).</summary>
    [Range(1, 3_650)]
    public int DiscoveredKeepDays { get; set; } = 14;

    /// <summary>Boot events (a machine's timeline) older than this many days are deleted (every night).</summary>
    [Range(1, 3_650)]
    public int EventsKeepDays { get; set; } = 30;

    /// <summary>Quiet time after a change before DHCP and TFTP are synced, so a burst of changes gives one restart.</summary>
    [Range(0, 60_000)]
    public int SyncDelayMilliseconds { get; set; } = 500;

    /// <summary>A sync happens at the latest this long after the first change, even if changes keep coming.</summary>
    [Range(0, 600_000)]
    public int SyncMaxDelayMilliseconds { get; set; } = 5_000;

    /// <summary>
    /// How often DHCP leases and iSCSI logins are looked at (the logins and the running sessions less often while no PC is on its way up:
    /// <see cref="GGnet.Core.Sessions.BootObservationMemory.SteadyListEvery"/>).
    /// </summary>
    [Range(100, 60_000)]
    public int ObserveMilliseconds { get; set; } = 2_000;

    /// <summary>A PC attached by its firmware only for this long, its OS not logged in, turns amber (images that never log in aside).</summary>
    [Range(10, 86_400)]
    public int OsTakeOverWarningSeconds { get; set; } = 300;

    /// <summary>A PC whose disk connection is gone this long is shown Offline.</summary>
    [Range(1, 3_600)]
    public int OfflineAfterSeconds { get; set; } = 30;

    /// <summary>Reverse-domain naming authority for iSCSI names, e.g. iqn.2024-01.net.ggnet.</summary>
    [Required]
    public string IqnAuthority { get; set; } = "iqn.2024-01.net.ggnet";
}
