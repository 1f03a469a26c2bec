using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>A Wake-on-LAN packet seen on the lab network: the virtual PC with that MAC address powers on.</summary>
public sealed class WakeVirtualPc(IBootRepository boot, PowerOnVirtualPc powerOn)
{
    public const string Actor = "wake-on-lan";

    /// <returns>True when a virtual PC with this MAC exists (it is running now).</returns>
    public async Task<bool> ExecuteAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        if (await boot.FindMachineAsync(macAddress, cancellationToken) is not { IsVirtual: true } machine)
        {
            return false;
        }
        await powerOn.ExecuteAsync(machine.Id, Actor, cancellationToken);
        return true;
    }
}
