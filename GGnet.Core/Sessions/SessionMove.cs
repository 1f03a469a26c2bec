using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

/// <summary>A session moved to a new state in memory, to be saved only while the stored one is still <paramref name="ReadAs"/>.</summary>
public sealed record SessionMove(Session Session, SessionState ReadAs);
