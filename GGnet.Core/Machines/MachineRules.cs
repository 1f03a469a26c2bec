using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

/// <summary>Checks that need other machines or groups: unique MAC, name and fixed address; an existing group.</summary>
public sealed class MachineRules(IMachineRepository machines, IMachineGroupRepository groups, IBootNetwork network)
{
    public async Task EnsureAllowedAsync(MachineDetails details, int? exceptId, CancellationToken cancellationToken)
    {
        if (details.GroupId is { } groupId && await groups.FindAsync(groupId, cancellationToken) is null)
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["groupId"] = [$"There is no group with id {groupId}."],
            });
        }

        if (details.IpAddress is { } fixedAddress && network.Settings is { DhcpMode: Boot.DhcpMode.Isc } settings
            && settings.CheckFixedAddress(fixedAddress) is { } problem)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["ipAddress"] = [problem] });
        }

        var clashes = await machines.FindClashesAsync(details, exceptId, cancellationToken);
        if (clashes.Count == 0)
        {
            return;
        }
        var clash = clashes[0];
        if (clash.MacAddress == details.MacAddress)
        {
            throw new ConflictException($"The MAC address {details.MacAddress} already belongs to machine '{clash.Name}'. Each PC needs its own MAC address.");
        }
        if (clash.Name == details.Name)
        {
            throw new ConflictException($"A machine named '{details.Name}' already exists. Choose another name.");
        }
        throw new ConflictException($"The address {details.IpAddress} is already fixed for machine '{clash.Name}'. Choose another address or leave it empty.");
    }
}
