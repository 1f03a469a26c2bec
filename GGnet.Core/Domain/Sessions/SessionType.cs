namespace GGnet.Core.Domain.Sessions;

/// <summary>
/// Normal sessions throw their writes away, unless their machine is persistent (its disk is kept for its next session);
/// maintenance sessions write to a clone that can become the next image version.
/// </summary>
public enum SessionType
{
    Normal,
    Maintenance,
}
