using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>Gathers what a PC's script depends on (its session's target, CHAP, names) and renders it.</summary>
public sealed class BootScriptComposer(IBootNetwork network, IBootRepository boot)
{
    public NetworkSettings Settings => network.Settings ?? throw new BootNetworkNotConfiguredException(network.Problems);

    public async Task<string> ForMachineAsync(Machine machine, CancellationToken cancellationToken)
    {
        var settings = Settings;
        var active = await boot.FindActiveTargetAsync(machine.Id, cancellationToken);
        return IpxeScripts.ForPc(Request(machine, active, settings), settings);
    }

    public string ForMachine(Machine machine, ActiveTarget? active) => IpxeScripts.ForPc(Request(machine, active, Settings), Settings);

    /// <summary>Where a machine's script lives in the TFTP root.</summary>
    public static string TftpPathOf(Machine machine) => $"{SyncBootFiles.MachinesFolder}/{machine.MacAddress.Hyphenated}.ipxe";

    public string ForUnknown(MacAddress macAddress) =>
        IpxeScripts.ForPc(new BootScriptRequest(macAddress, null, NoSessionAction.Wait, null), Settings);

    private BootScriptRequest Request(Machine machine, ActiveTarget? active, NetworkSettings settings)
    {
        var target = active is null
            ? null
            : new BootTarget(
                active.SessionId,
                active.ImageLabel,
                settings.ServerAddress,
                active.TargetIqn,
                Lun: 1,
                network.Naming.InitiatorFor(machine),
                active is { ChapUser: { } user, ChapSecret: { } secret } ? new ChapCredentials(user, secret) : null);
        return new BootScriptRequest(machine.MacAddress, machine, machine.NoSessionAction, target);
    }
}
