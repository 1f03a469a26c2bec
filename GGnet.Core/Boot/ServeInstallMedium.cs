using GGnet.Core.Domain;
using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>
/// Answers a PC's read of its install session's ISO: the file is served only while that session runs, only under the
/// name the session was started with, and only to the session's own PC (its fixed address or its lease). Any other
/// request learns nothing: not whether the session, the file or the PC exist.
/// </summary>
public sealed class ServeInstallMedium(ISessionRepository sessions, IMachineRepository machines, BootScriptComposer composer, IImageFiles files)
{
    /// <summary>The ISO's full path for this request, or null when it must not be served.</summary>
    public async Task<string?> ExecuteAsync(int sessionId, string fileName, Ipv4Address? requester, CancellationToken cancellationToken)
    {
        if (requester is null || await sessions.FindAsync(sessionId, cancellationToken) is not { IsActive: true, InstallMedium: { } medium } session
            || !string.Equals(medium, fileName, StringComparison.Ordinal))
        {
            return null;
        }
        if (await machines.FindAsync(session.MachineId, cancellationToken) is not { } machine || !await composer.IsThePcAsync(machine, requester, cancellationToken))
        {
            return null;
        }
        try
        {
            return files.ResolveImport(InstallMedia.Validate(medium));
        }
        catch (InvalidInputException)
        {
            // Removed from the import folder since the session started.
            return null;
        }
    }
}
