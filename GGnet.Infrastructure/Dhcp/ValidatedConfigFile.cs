using GGnet.Core.Ports;
using GGnet.Infrastructure.Processes;

namespace GGnet.Infrastructure.Dhcp;

/// <summary>
/// Installs a daemon's configuration the careful way (<see cref="IConfigInstaller"/>: only GGnet's own lines, the
/// daemon's own check, an atomic rename) and restarts the daemon when the file changed.
/// </summary>
public sealed class ValidatedConfigFile(IConfigInstaller installer, ExternalCommand commands)
{
    public async Task<DhcpApplyResult> ApplyAsync(DhcpDaemon daemon, string content, string restartCommand, CancellationToken cancellationToken)
    {
        var name = daemon.ToString().ToLowerInvariant();
        var installed = await installer.InstallAsync(new ConfigInstallRequest(daemon, content), cancellationToken);
        switch (installed.Outcome)
        {
            case ConfigInstallOutcome.Unchanged:
                return new DhcpApplyResult(DhcpApplyOutcome.Unchanged, installed.Message);
            case ConfigInstallOutcome.Rejected or ConfigInstallOutcome.Refused or ConfigInstallOutcome.Unreachable:
                return new DhcpApplyResult(DhcpApplyOutcome.Rejected, installed.Message);
        }
        var (restartProgram, restartArguments) = ExternalCommand.Split(restartCommand);
        var restart = await commands.RunAsync(restartProgram, restartArguments, cancellationToken);
        return restart.Succeeded
            ? new DhcpApplyResult(DhcpApplyOutcome.Applied, $"The new {name} configuration was checked, installed and {name} restarted.")
            : new DhcpApplyResult(DhcpApplyOutcome.RestartFailed,
                $"The new {name} configuration is installed, but '{restartCommand}' failed: {restart.Explanation.Trim()}");
    }
}
