using System.Text;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Processes;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>
/// Installs a daemon's configuration the careful way: nothing when unchanged; otherwise the real daemon
/// checks a candidate file first, and only an accepted one replaces the live file before the restart.
/// </summary>
public sealed class ValidatedConfigFile(ExternalCommand commands)
{
    public async Task<DhcpApplyResult> ApplyAsync(
        string daemon, string configPath, string content, Func<string, (string Program, string[] Arguments)> checkCommand, string restartCommand, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        if (await AtomicFile.HoldsAsync(configPath, bytes, cancellationToken))
        {
            return new DhcpApplyResult(DhcpApplyOutcome.Unchanged, $"The {daemon} configuration is already up to date.");
        }

        var candidate = configPath + ".ggnet-candidate";
        await AtomicFile.WriteAsync(candidate, bytes, cancellationToken);
        try
        {
            var (program, arguments) = checkCommand(candidate);
            var check = await commands.RunAsync(program, arguments, cancellationToken);
            if (!check.Succeeded)
            {
                return new DhcpApplyResult(DhcpApplyOutcome.Rejected,
                    $"{daemon} refused the new configuration, so the previous one stays in place: {Relevant(check.Explanation)}");
            }
            File.Move(candidate, configPath, overwrite: true);
        }
        finally
        {
            File.Delete(candidate);
        }

        var (restartProgram, restartArguments) = ExternalCommand.Split(restartCommand);
        var restart = await commands.RunAsync(restartProgram, restartArguments, cancellationToken);
        return restart.Succeeded
            ? new DhcpApplyResult(DhcpApplyOutcome.Applied, $"The new {daemon} configuration was checked, installed and {daemon} restarted.")
            : new DhcpApplyResult(DhcpApplyOutcome.RestartFailed,
                $"The new {daemon} configuration is installed, but '{restartCommand}' failed: {Relevant(restart.Explanation)}");
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
