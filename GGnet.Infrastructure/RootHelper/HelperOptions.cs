using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.RootHelper;

/// <summary>
/// GGnet's root helper (<c>ggnet-helper.service</c>): the one way the service (not root) reaches tgtd and installs the
/// DHCP daemons' configuration. Section <c>Helper</c>.
/// </summary>
public sealed class HelperOptions
{
    public const string Section = "Helper";

    /// <summary>The helper's Unix socket: where it listens, and where GGnet finds it when GGnet is not root.</summary>
    [Required]
    public string Socket { get; set; } = "/run/ggnet-helper/helper.sock";

    /// <summary>The group the socket belongs to: the service's (only its members may connect).</summary>
    [Required]
    public string Group { get; set; } = "ggnet";
}
