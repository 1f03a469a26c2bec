using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class UpdateMachine(IMachineRepository machines, GetMachine getMachine, MachineRules rules, TimeProvider clock)
{
    public async Task<Machine> ExecuteAsync(int id, MachineInput input, string actor, CancellationToken cancellationToken)
    {
        var details = input.ToDetails();
        var machine = await getMachine.ExecuteAsync(id, cancellationToken);
        await rules.EnsureAllowedAsync(details, exceptId: id, cancellationToken);

        if (machine.Update(details, actor, clock.GetUtcNow().UtcDateTime))
        {
            await machines.UpdateAsync(machine, cancellationToken);
        }
        return machine;
    }
}
