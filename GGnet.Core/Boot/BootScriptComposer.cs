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
public sealed class BootScriptComposer(IBootNetwork network, IBootRepository boot, MachineChap chap, ILeaseSource leases, IIscsiBackend iscsi)
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

    /// <summary>Whether a request comes from the PC itself: its fixed address, or the one its latest DHCP lease gave (read from dhcpd when the observer has not yet).</summary>
    public async Task<bool> IsThePcAsync(Machine machine, Ipv4Address requester, CancellationToken cancellationToken)
    {
        if (machine.IpAddress == requester)
        {
            return true;
        }
        var leased = await boot.ListLeasedAddressesAsync([machine.Id], cancellationToken);
        if (leased.TryGetValue(machine.Id, out var address) && address == requester)
        {
            return true;
        }
        // The address's latest lease names the PC: any address dhcpd leased to it and has not given to another since.
        var holder = (await leases.ReadAsync(cancellationToken)).Where(l => l.Address == requester).MaxBy(l => l.Starts);
        return holder?.MacAddress == machine.MacAddress;
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
