using GGnet.Core.Audit;
using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>
/// Changes the boot network from the Settings page: refused with sentences when inconsistent in itself
/// or with a machine's fixed address; otherwise saved, audited, and DHCP/TFTP brought in line.
/// </summary>
public sealed class SaveNetworkSettings(INetworkSettingsStore store, IMachineRepository machines, IBootSyncTrigger bootSync, IAuditLog audit, ILab lab, TimeProvider clock)
{
    public async Task<NetworkSettings> ExecuteAsync(NetworkSettingsInput input, string actor, CancellationToken cancellationToken)
    {
        if (lab.Status.Enabled)
        {
            // Applying it now would point the lab's own dhcpd at a real network.
            throw new ConflictException("GGnet is in lab mode, where the boot network is the lab's own. Switch to production mode first (Settings, Mode), restart GGnet, then set the boot network.");
        }
        var settings = await CheckAsync(input, machines, cancellationToken);
        var before = Summary(store.Current);
        await store.SaveAsync(input, cancellationToken);
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.NetworkChanged, "settings", "network", before, Summary(input)), cancellationToken);
        bootSync.Request();
        return settings;
    }

    /// <summary>
    /// The settings, parsed; refused with sentences when inconsistent in themselves or, with GGnet's own dhcpd, with a
    /// machine's fixed address.
    /// </summary>
    internal static async Task<NetworkSettings> CheckAsync(NetworkSettingsInput input, IMachineRepository machines, CancellationToken cancellationToken)
    {
        var (settings, problems) = input.Parse();
        if (settings is null)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["network"] = problems.ToArray() });
        }

        if (settings.DhcpMode == DhcpMode.Isc)
        {
            var fixedProblems = new List<string>();
            var page = await machines.ListAsync(new MachineQuery(new PageRequest(1, PageRequest.MaxPageSize)), cancellationToken);
            for (var pageNumber = 2; ; pageNumber++)
            {
                fixedProblems.AddRange(page.Items
                    .Where(m => m.IpAddress is not null && settings.CheckFixedAddress(m.IpAddress) is not null)
                    .Select(m => $"Machine '{m.Name}': {settings.CheckFixedAddress(m.IpAddress!)}"));
                if (page.Items.Count < PageRequest.MaxPageSize)
                {
                    break;
                }
                page = await machines.ListAsync(new MachineQuery(new PageRequest(pageNumber, PageRequest.MaxPageSize)), cancellationToken);
            }
            if (fixedProblems.Count > 0)
            {
                throw new InvalidInputException(new Dictionary<string, string[]> { ["network"] = fixedProblems.Take(10).ToArray() });
            }
        }
        return settings;
    }

    internal static string Summary(NetworkSettingsInput n) =>
        $"server={n.ServerAddress} if={n.Interface} subnet={n.Subnet}/{n.Netmask} gw={n.Gateway} dns={string.Join(',', n.DnsServers)} " +
        $"range={n.RangeStart}-{n.RangeEnd} boot={n.BootBaseUrl} dhcp={n.DhcpMode} poll={n.WaitPollSeconds}";
}
