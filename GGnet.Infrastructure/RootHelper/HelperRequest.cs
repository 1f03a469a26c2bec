using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Iscsi.Tgt.Control;

namespace GGnet.Infrastructure.RootHelper;

/// <summary>One request to the root helper: exactly one of its parts is set.</summary>
public sealed record HelperRequest
{
    /// <summary>An operation on tgtd (answered with a <see cref="TgtReply"/>).</summary>
    public TgtRequest? Tgt { get; init; }

    /// <summary>A DHCP daemon's configuration to check and install (answered with a <see cref="ConfigInstallReply"/>).</summary>
    public ConfigInstallRequest? DhcpConfig { get; init; }
}
