using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Images;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>
/// Gathers what a PC's script depends on (its session's target, CHAP, names) and renders it. CHAP secrets go only
/// into the answer to the PC's own HTTP request; TFTP files, which anyone on the network can read, never hold them.
/// </summary>
public sealed class BootScriptComposer(
    IBootNetwork network,
    IBootRepository boot,
    MachineChap chap,
    ILeaseSource leases,
    IIscsiBackend iscsi,
    INeighbourTable neighbours,
    TimeProvider clock)
{
    public NetworkSettings Settings => network.Settings ?? throw new BootNetworkNotConfiguredException(network.Problems);

    /// <summary>The script as the TFTP file holds it (without CHAP secrets).</summary>
    public async Task<string> ForTftpAsync(Machine machine, CancellationToken cancellationToken)
    {
        var settings = Settings;
        var active = await boot.FindActiveTargetAsync(machine.Id, cancellationToken);
        return IpxeScripts.ForPc(Request(machine, active, null, settings), settings);
    }

    /// <summary>
    /// The script for a PC's own HTTP request. From the PC's address it carries the CHAP credentials, and the target
    /// is narrowed to admit that address only (a PC with a fixed address has it from the start).
    /// </summary>
    public async Task<string> ForPcRequestAsync(Machine machine, ActiveTarget? active, Ipv4Address? requester, CancellationToken cancellationToken)
    {
        var settings = Settings;
        ChapCredentials? credentials = null;
        if (active is not null && requester is { } from && await IsThePcAsync(machine, from, cancellationToken))
        {
            await AdmitOnlyAsync(active.TargetIqn, from, cancellationToken);
            credentials = active.ChapUser is { } user ? chap.ForTarget(machine, user, active.ChapMutual) : null;
        }
        return IpxeScripts.ForPc(Request(machine, active, credentials, settings), settings);
    }

    // A backend that can't narrow now leaves the target as it was (its initiator name and CHAP guard it): the PC
    // still boots, and its next request tries again.
    private async Task AdmitOnlyAsync(Iqn target, Ipv4Address address, CancellationToken cancellationToken)
    {
        try
        {
            await iscsi.AdmitOnlyAsync(target, address, cancellationToken);
        }
        catch (IscsiBackendException)
        {
        }
    }

    /// <summary>The script as the TFTP file holds it (without CHAP secrets).</summary>
    public string ForTftp(Machine machine, ActiveTarget? active) => IpxeScripts.ForPc(Request(machine, active, null, Settings), Settings);

    public string ForUnknown(MacAddress macAddress) =>
        IpxeScripts.ForPc(new BootScriptRequest(macAddress, null, NoSessionAction.Wait, null), Settings);

    /// <summary>
    /// Whether a request comes from the PC itself: from its fixed address, or from the address dhcpd leased it and it
    /// still holds; and in either case not from another network card (the server's ARP cache), as when a customer takes
    /// the address of a PC that is switched off. Where this server keeps no DHCP leases (another node runs dhcpd), the
    /// latest lease GGnet recorded for the address counts, while it is young enough to be held still.
    /// </summary>
    public async Task<bool> IsThePcAsync(Machine machine, Ipv4Address requester, CancellationToken cancellationToken)
    {
        if (await neighbours.FindAsync(requester, cancellationToken) is { } card && card != machine.MacAddress)
        {
            return false;
        }
        if (machine.IpAddress == requester)
        {
            return true;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (await leases.ReadAsync(cancellationToken) is { } kept)
        {
            var holder = kept.Where(l => l.Address == requester).MaxBy(l => l.Starts);
            return holder is not null && holder.MacAddress == machine.MacAddress && holder.HoldsAt(now);
        }
        var recorded = await boot.FindLatestLeaseAsync(requester, cancellationToken);
        return recorded is not null && recorded.MacAddress == machine.MacAddress && now - recorded.At < DhcpdConfig.MaxLeaseTime;
    }

    private BootScriptRequest Request(Machine machine, ActiveTarget? active, ChapCredentials? credentials, NetworkSettings settings)
    {
        var target = active is null
            ? null
            : new BootTarget(
                active.SessionId,
                active.ImageLabel,
                active.Portal ?? settings.ServerAddress,
                active.TargetIqn,
                active.Lun,
                network.Naming.InitiatorFor(machine),
                credentials,
                ChapRequired: active.ChapUser is not null,
                InstallMediumLun: active.InstallMedium is null ? null : InstallMedia.LunAfter(active.Lun),
                DataDisks: active.DataDisks,
                BootsFromCopy: active.BootsFromCopy);
        return new BootScriptRequest(machine.MacAddress, machine, machine.NoSessionAction, target);
    }
}
