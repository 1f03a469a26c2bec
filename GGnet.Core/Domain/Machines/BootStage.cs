namespace GGnet.Core.Domain.Machines;

/// <summary>Where a PC is in its boot, as observed (never assumed) from DHCP, script requests and iSCSI connections.</summary>
public enum BootStage
{
    Idle,
    DhcpLease,
    ScriptFetched,
    DiskAttached,
    Online,
    Offline,

    /// <summary>The PC got its script but could not attach its disk (it reported iPXE's error).</summary>
    AttachFailed,
}
