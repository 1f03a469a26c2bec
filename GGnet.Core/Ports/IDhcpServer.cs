using GGnet.Core.Boot;

namespace GGnet.Core.Ports;

/// <summary>The DHCP side of booting: ISC dhcpd, a dnsmasq proxyDHCP, or nothing.</summary>
public interface IDhcpServer
{
    /// <summary>Renders, validates with the real daemon, installs and restarts — but only when the configuration really changed.</summary>
    Task<DhcpApplyResult> ApplyAsync(NetworkSettings network, IReadOnlyList<DhcpHost> hosts, CancellationToken cancellationToken);
}

public enum DhcpApplyOutcome
{
    Unchanged,
    Applied,
    Rejected,
    RestartFailed,
    NotManaged,
}

/// <summary>What happened to a new DHCP configuration; <see cref="Message"/> is a sentence for the admin.</summary>
public sealed record DhcpApplyResult(DhcpApplyOutcome Outcome, string Message);
