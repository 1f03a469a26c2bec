using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Ports;

/// <summary>The lab's virtual PCs: QEMU guests on the lab network with an iPXE network card, supervised by GGnet.</summary>
public interface IVirtualPcs
{
    /// <summary>The machines whose virtual PC is running now.</summary>
    IReadOnlyCollection<int> PoweredOn { get; }

    /// <summary>Starts the PC; it network-boots from GGnet. Throws <see cref="Errors.ConflictException"/> when the lab can't take it.</summary>
    Task PowerOnAsync(Machine machine, CancellationToken cancellationToken);

    /// <summary>Pulls the plug: the guest ends at once and its disk connection is dropped. False when it was not running.</summary>
    Task<bool> PowerOffAsync(int machineId, CancellationToken cancellationToken);

    /// <summary>
    /// A sentence when the running PC's console has printed nothing for a while (a guest that stopped says nothing
    /// else); null when it is talking or not running. <see cref="Boot.BootWarnings"/> decides when a screen shows it.
    /// </summary>
    string? WarningFor(int machineId);

    /// <summary>When the running PC was powered on; null when it is not running.</summary>
    DateTime? PoweredOnAt(int machineId);

    /// <summary>The end of the PC's serial console (firmware, iPXE and what the booted disk prints), as plain text.</summary>
    Task<string> ReadConsoleAsync(int machineId, CancellationToken cancellationToken);
}
