using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class CreateMachine(IMachineRepository machines, MachineRules rules, TimeProvider clock)
{
    public async Task<Machine> ExecuteAsync(MachineInput input, string actor, CancellationToken cancellationToken)
    {
        var details = input.ToDetails();
        await rules.EnsureAllowedAsync(details, exceptId: null, cancellationToken);

        var machine = Machine.Create(details, clock.GetUtcNow().UtcDateTime, actor);
        await machines.AddAsync(machine, cancellationToken);
        return machine;
    }
}
