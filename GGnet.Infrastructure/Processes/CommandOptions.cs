namespace GGnet.Infrastructure.Processes;

/// <summary>How GGnet runs the few programs that need root. Section <c>Commands</c>.</summary>
public sealed class CommandOptions
{
    public const string Section = "Commands";

    /// <summary>
    /// Run the root-only programs (tgtadm, targetcli) through <c>sudo -n</c>: for GGnet running as its own
    /// unprivileged user, allowed exactly those programs by a sudoers rule. Off when GGnet runs as root.
    /// </summary>
    public bool Sudo { get; set; }

    public string SudoPath { get; set; } = "/usr/bin/sudo";
}
