using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

/// <summary>
/// Start a session: this machine boots the image's current version; with <paramref name="InstallFrom"/> (an ISO file in
/// the import folder, maintenance only) it boots that installer with the session's disk hooked beside it. A maintenance
/// session of a data image boots a copy of the system image <paramref name="BootWith"/>, the data image's disk beside it.
/// </summary>
public sealed record StartSessionRequest(int MachineId, int ImageId, SessionType Type = SessionType.Normal, string? InstallFrom = null, int? BootWith = null);
