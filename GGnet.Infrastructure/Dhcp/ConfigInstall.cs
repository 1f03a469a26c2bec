using System.Text.Json.Serialization;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>The DHCP daemons whose configuration GGnet writes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DhcpDaemon>))]
public enum DhcpDaemon
{
    Dhcpd,
    Dnsmasq,
}

/// <summary>A daemon's new configuration, as GGnet rendered it.</summary>
public sealed record ConfigInstallRequest(DhcpDaemon Daemon, string Text);

[JsonConverter(typeof(JsonStringEnumConverter<ConfigInstallOutcome>))]
public enum ConfigInstallOutcome
{
    /// <summary>The live file already holds it.</summary>
    Unchanged,

    /// <summary>Checked by the daemon and put in place.</summary>
    Installed,

    /// <summary>The daemon's own check refused it; the previous file stays.</summary>
    Rejected,

    /// <summary>It is not a configuration GGnet writes (or the folder is not safe to write in); nothing changed.</summary>
    Refused,

    /// <summary>The root helper could not be reached; nothing changed.</summary>
    Unreachable,
}

public sealed record ConfigInstallReply(ConfigInstallOutcome Outcome, string Message);

/// <summary>Checks and installs a DHCP daemon's configuration: in place when GGnet is root, through the root helper when not.</summary>
public interface IConfigInstaller
{
    Task<ConfigInstallReply> InstallAsync(ConfigInstallRequest request, CancellationToken cancellationToken);
}
