using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>The outcome of the latest sync of DHCP and TFTP, for the Settings page and health checks.</summary>
public sealed class BootPlaneStatus
{
    private readonly Lock _gate = new();

    public DhcpApplyResult? LastDhcp { get; private set; }

    /// <summary>The latest rejection by the DHCP daemon's own check, kept until a later config is accepted.</summary>
    public DhcpApplyResult? LastDhcpRejection { get; private set; }

    public DateTime? LastSyncAt { get; private set; }

    public int TftpScripts { get; private set; }

    public string? LastError { get; private set; }

    public void Record(DhcpApplyResult dhcp, int tftpScripts, DateTime at)
    {
        lock (_gate)
        {
            LastDhcp = dhcp;
            if (dhcp.Outcome == DhcpApplyOutcome.Rejected)
            {
                LastDhcpRejection = dhcp;
            }
            else if (dhcp.Outcome == DhcpApplyOutcome.Applied)
            {
                LastDhcpRejection = null;
            }
            TftpScripts = tftpScripts;
            LastSyncAt = at;
            LastError = null;
        }
    }

    public void RecordError(string error, DateTime at)
    {
        lock (_gate)
        {
            LastError = error;
            LastSyncAt = at;
        }
    }
}
