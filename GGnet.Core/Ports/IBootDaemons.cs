namespace GGnet.Core.Ports;

/// <summary>
/// The boot daemons as they are right now, looked at directly: is the DHCP daemon running, does tftpd answer, can GGnet
/// write the TFTP root. Null when GGnet does not watch that daemon here (lab mode, whose daemons the lab checks, or
/// not configured).
/// </summary>
public interface IBootDaemons
{
    Task<DaemonCheck?> CheckDhcpAsync(CancellationToken cancellationToken);

    Task<DaemonCheck?> CheckTftpAsync(CancellationToken cancellationToken);
}

/// <summary>Whether a daemon works, with a sentence saying what was seen and, when not, what to do.</summary>
public sealed record DaemonCheck(bool Works, string Sentence);
