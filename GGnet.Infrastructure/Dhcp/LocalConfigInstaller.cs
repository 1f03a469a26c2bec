using System.Text;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>
/// Installs a DHCP daemon's configuration where this process may write it (GGnet as root, or the root helper for the
/// service): only lines GGnet writes (<see cref="DhcpConfigCheck"/>), then the daemon's own check of a candidate
/// file, then an atomic rename over the live file. Nothing changes when the text is already in place.
/// </summary>
public sealed class LocalConfigInstaller(ExternalCommand commands, IOptions<DhcpOptions> options) : IConfigInstaller
{
    public async Task<ConfigInstallReply> InstallAsync(ConfigInstallRequest request, CancellationToken cancellationToken)
    {
        var (name, path, check) = Daemon(request.Daemon);
        if (DhcpConfigCheck.Refusal(request.Daemon, request.Text) is { } refusal)
        {
            return new ConfigInstallReply(ConfigInstallOutcome.Refused, refusal);
        }
        var bytes = Encoding.UTF8.GetBytes(request.Text);
        if (await AtomicFile.HoldsAsync(path, bytes, cancellationToken))
        {
            return new ConfigInstallReply(ConfigInstallOutcome.Unchanged, $"The {name} configuration is already up to date.");
        }
        var candidate = path + ".ggnet-candidate";
        await AtomicFile.WriteAsync(candidate, bytes, cancellationToken);
        try
        {
            var (program, arguments) = check(candidate);
            var checkedBy = await commands.RunAsync(program, arguments, cancellationToken);
            if (!checkedBy.Succeeded)
            {
                return new ConfigInstallReply(ConfigInstallOutcome.Rejected,
                    $"{name} refused the new configuration, so the previous one stays in place: {Relevant(checkedBy.Explanation)}");
            }
            File.Move(candidate, path, overwrite: true);
            return new ConfigInstallReply(ConfigInstallOutcome.Installed, $"The new {name} configuration was checked and installed.");
        }
        finally
        {
            File.Delete(candidate);
        }
    }

    /// <summary>The daemon's name, its live file and the command that checks a candidate.</summary>
    public (string Name, string Path, Func<string, (string Program, string[] Arguments)> Check) Daemon(DhcpDaemon daemon)
    {
        var dhcp = options.Value;
        return daemon == DhcpDaemon.Dhcpd
            // Without -q: -q hides the error text, and the admin needs it.
            ? ("dhcpd", dhcp.ConfigPath, candidate => (dhcp.DhcpdPath, ["-t", "-4", "-cf", candidate]))
            : ("dnsmasq", dhcp.DnsmasqConfigPath, candidate => (dhcp.DnsmasqPath, ["--test", "--conf-file=" + candidate]));
    }

    // dhcpd prints its banner and help links around the one line that matters.
    private static string Relevant(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Internet Systems Consortium", StringComparison.Ordinal) && !l.StartsWith("Copyright", StringComparison.Ordinal)
                && !l.StartsWith("For info", StringComparison.Ordinal) && !l.Contains("bugs", StringComparison.OrdinalIgnoreCase)
                && !l.StartsWith("Please", StringComparison.Ordinal) && !l.StartsWith("exiting", StringComparison.Ordinal)
                && !l.StartsWith("If you think", StringComparison.Ordinal) && !l.StartsWith("Configuration file errors", StringComparison.Ordinal)
                && !l.Contains("https://", StringComparison.Ordinal) && !l.Contains("before submitting", StringComparison.Ordinal)
                && !l.StartsWith("have been made", StringComparison.Ordinal) && !l.StartsWith("not a bug", StringComparison.Ordinal)
                && !l.StartsWith("problem", StringComparison.Ordinal) && !l.StartsWith("ISC DHCP", StringComparison.Ordinal))
            .Take(6);
        var text = string.Join(" ", lines);
        return text.Length == 0 ? output.Trim() : text;
    }
}
