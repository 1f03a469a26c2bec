using System.Text;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>
/// Brings the TFTP root (boot.ipxe, iPXE binaries, one script per machine) and the DHCP configuration in
/// line with the database. Idempotent: running it twice changes nothing the second time.
/// </summary>
public sealed class SyncBootFiles(
    IBootNetwork network,
    IBootRepository boot,
    BootScriptComposer composer,
    IBootFileStore files,
    IIpxeBinaries binaries,
    IDhcpServer dhcp,
    IAuditLog audit,
    BootPlaneStatus status,
    IStatusNotifier notifier,
    Telemetry.GGnetMetrics metrics,
    TimeProvider clock)
{
    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = network.Settings;
        if (settings is null)
        {
            return;
        }

        await files.WriteAsync("boot.ipxe", Encoding.UTF8.GetBytes(IpxeScripts.Generic(settings)), cancellationToken);
        foreach (var name in binaries.Names)
        {
            if (await binaries.ReadAsync(name, cancellationToken) is { } bytes)
            {
                await files.WriteAsync(name, bytes, cancellationToken);
            }
        }

        var machines = await boot.ListMachinesWithTargetsAsync(cancellationToken);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (machine, target) in machines)
        {
            var path = TftpScriptPath.Of(machine.MacAddress);
            wanted.Add(Path.GetFileName(path));
            await files.WriteAsync(path, Encoding.UTF8.GetBytes(composer.ForTftp(machine, target)), cancellationToken);
        }
        foreach (var stale in (await files.ListAsync(TftpScriptPath.Folder, cancellationToken)).Where(f => f.EndsWith(".ipxe", StringComparison.Ordinal) && !wanted.Contains(f)))
        {
            await files.DeleteAsync($"{TftpScriptPath.Folder}/{stale}", cancellationToken);
        }

        var result = await dhcp.ApplyAsync(settings, await boot.ListDhcpHostsAsync(cancellationToken), cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (result.Outcome is DhcpApplyOutcome.Applied or DhcpApplyOutcome.RestartFailed)
        {
            metrics.DhcpRestarted(result.Outcome == DhcpApplyOutcome.Applied);
        }
        if (result.Outcome == DhcpApplyOutcome.Rejected)
        {
            metrics.DhcpRejected();
            await audit.WriteAsync(new AuditEvent(now, "system", AuditActions.DhcpRejected, "dhcp", null, null, result.Message), cancellationToken);
        }
        else if (result.Outcome == DhcpApplyOutcome.Applied)
        {
            await audit.WriteAsync(new AuditEvent(now, "system", AuditActions.DhcpApplied, "dhcp", null, null, result.Message), cancellationToken);
        }
        status.Record(result, wanted.Count, now);
        notifier.BootPlaneChanged();
    }
}
