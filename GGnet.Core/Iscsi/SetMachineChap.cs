using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Iscsi;

/// <summary>Sets whether one machine's targets use CHAP ("default" follows the server-wide setting); applies from its next session.</summary>
public sealed class SetMachineChap(GetMachine getMachine, IMachineRepository machines, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task<ChapPolicy?> ExecuteAsync(int machineId, string? policy, string actor, CancellationToken cancellationToken)
    {
        var parsed = Parse(policy);
        var machine = await getMachine.ExecuteAsync(machineId, cancellationToken);
        var before = Name(machine.Chap);
        if (machine.Chap == parsed)
        {
            return parsed;
        }
        machine.UseChap(parsed);
        await machines.UpdateAsync(machine,
            new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.MachineUpdated, "machine", machine.Id.ToString(CultureInfo.InvariantCulture), $"chap={before}", $"chap={Name(parsed)}"),
            cancellationToken);
        notifier.MachineChanged(machine.Id);
        return parsed;
    }

    public static string Name(ChapPolicy? policy) => policy switch
    {
        null => "default",
        ChapPolicy.Off => "off",
        ChapPolicy.OneWay => "oneWay",
        ChapPolicy.Mutual => "mutual",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

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
