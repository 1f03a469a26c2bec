using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Iscsi;

/// <summary>Sets whether one machine's targets use CHAP ("default" follows the server-wide setting); applies from its next session.</summary>
public sealed class SetMachineChap(GetMachine getMachine, IMachineRepository machines, TimeProvider clock)
{
    public async Task<ChapPolicy?> ExecuteAsync(int machineId, string? policy, string actor, CancellationToken cancellationToken)
    {
        var parsed = Parse(policy);
        var machine = await getMachine.ExecuteAsync(machineId, cancellationToken);
        if (machine.UseChap(parsed, actor, clock.GetUtcNow().UtcDateTime))
        {
            await machines.UpdateAsync(machine, cancellationToken);
        }
        return parsed;
    }

    private static ChapPolicy? Parse(string? policy) => policy?.Trim() switch
    {
        "default" => null,
        "off" => ChapPolicy.Off,
        "oneWay" => ChapPolicy.OneWay,
        "mutual" => ChapPolicy.Mutual,
        _ => throw new InvalidInputException(new Dictionary<string, string[]>
        {
            ["policy"] = ["CHAP is one of default (the server-wide setting), off, oneWay or mutual."],
        }),
    };
}
