using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>
/// A virtual PC is off (powered off, ended by itself, or GGnet is stopping): GGnet knows it, so the PC is Offline
/// at once and a booting or online session goes back to Ready, waiting for the next boot.
/// </summary>
public sealed class RecordVirtualPcOff(IBootRepository boot, ISessionRepository sessions, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task ExecuteAsync(Machine machine, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await boot.RecordObservationAsync(machine.Id, BootStage.Offline, new BootEvent(machine.Id, machine.MacAddress, BootEventKind.PoweredOff, null, now), now, cancellationToken);
        if (await sessions.FindActiveAsync(machine.Id, cancellationToken) is { State: SessionState.Booting or SessionState.Online } session)
        {
            var readAs = session.State;
            session.MoveTo(SessionState.Ready, now);
            // A stop saved since the read stays: the PC being off changes nothing about it.
            await sessions.SaveStateIfStillAsync(session, readAs, cancellationToken);
        }
        notifier.MachineChanged(machine.Id);
    }
}
