using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Ports;

/// <summary>
/// The bench where candidate versions are test-booted: one headless virtual PC at a time, with the firmware asked for, on a network
/// of its own. Its PC reaches nothing but the iSCSI portal, which it finds at <see cref="PortalSeenByPc"/>; the portal sees its
/// logins come from the portal's own address.
/// </summary>
public interface ITrialBench
{
    /// <summary>The address the bench PC's script names as the iSCSI portal; the bench forwards it to the real one.</summary>
    Ipv4Address PortalSeenByPc { get; }

    /// <summary>The PNG file of the screen the run of this name kept last; null when none was kept.</summary>
    string? ScreenOf(string name);

    /// <summary>Powers a bench PC on; it network-boots <see cref="BenchBoot.Script"/>. Throws <see cref="Errors.ConflictException"/> with a sentence when it can't.</summary>
    Task<IBenchRun> PowerOnAsync(BenchBoot boot, CancellationToken cancellationToken);
}

/// <param name="Name">Names the run's files and process (a version's id): plain letters, digits and dashes.</param>
/// <param name="Portal">The real iSCSI portal the bench forwards to.</param>
public sealed record BenchBoot(string Name, Firmware Firmware, string Script, Ipv4Address Portal);

/// <summary>A running bench PC; disposing it pulls its plug.</summary>
public interface IBenchRun : IAsyncDisposable
{
    /// <summary>The PC's process ended by itself (it powered off or crashed).</summary>
    bool Ended { get; }

    /// <summary>The end of the PC's serial console, as plain text.</summary>
    Task<string> ReadConsoleAsync(CancellationToken cancellationToken);

    /// <summary>Keeps a picture of its screen as it is now (<see cref="ITrialBench.ScreenOf"/>); false where it could not be taken.</summary>
    Task<bool> SaveScreenAsync(CancellationToken cancellationToken);
}
