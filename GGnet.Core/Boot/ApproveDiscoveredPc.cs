using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>Turns a discovered PC into a machine in one step; name and group may be given, else the name comes from the MAC.</summary>
public sealed class ApproveDiscoveredPc(IBootRepository boot, CreateMachine createMachine)
{
    public async Task<Machine> ExecuteAsync(string? macText, string? name, int? groupId, string actor, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryParse(macText, out var mac, out var error))
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["mac"] = [error] });
        }
        var discovered = await boot.FindDiscoveredAsync(mac, cancellationToken)
            ?? throw new NotFoundException($"No PC with MAC address {mac} is waiting in the Discovered list; it may have been approved already.");

        var machine = await createMachine.ExecuteAsync(
            new MachineInput
            {
                Name = string.IsNullOrWhiteSpace(name) ? "pc-" + mac.Value.Replace(":", "", StringComparison.Ordinal) : name,
                MacAddress = mac.Value,
                GroupId = groupId,
                Firmware = discovered.Firmware?.ToString(),
            },
            actor,
            cancellationToken);
        await boot.RemoveDiscoveredAsync(mac, null, cancellationToken);
        return machine;
    }
}
