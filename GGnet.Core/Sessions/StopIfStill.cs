using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

/// <summary>A session moved to Stopping in memory, to be saved only while the stored one is still <paramref name="ReadAs"/>.</summary>
public sealed record StopIfStill(Session Session, SessionState ReadAs);
