using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

/// <summary>
/// Deletes a machine and its session history; refused while one of its sessions is still active, and for a machine
/// with its own CHAP setting unless the caller may choose CHAP (an admin): deleting and adding it again would drop it.
/// </summary>
public sealed class DeleteMachine(
    IMachineRepository machines,
    ISessionRepository sessions,
    GetMachine getMachine,
    TimeProvider clock)
{
    /// <param name="mayChooseChap">The caller may set a machine's CHAP (an admin).</param>
    public async Task ExecuteAsync(int id, string actor, bool mayChooseChap, CancellationToken cancellationToken)
    {
        var machine = await getMachine.ExecuteAsync(id, cancellationToken);
        if (machine.Chap is { } chap && !mayChooseChap)
        {
            throw new ConflictException($"Machine '{machine.Name}' has its own CHAP setting ({chap}), which only an admin chooses: ask an admin to delete it.");
        }
        if (await sessions.FindActiveAsync(id, cancellationToken) is { } active)
        {
            throw new ConflictException($"Machine '{machine.Name}' still has session {active.Id} ({active.State}). Stop the session, then delete the machine.");
        }
        machine.Delete(actor, clock.GetUtcNow().UtcDateTime);
        await machines.DeleteAsync(machine, cancellationToken);
    }
}
