using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

/// <summary>Start a session: this machine boots the image's current version.</summary>
public sealed record StartSessionRequest(int MachineId, int ImageId, SessionType Type = SessionType.Normal);
