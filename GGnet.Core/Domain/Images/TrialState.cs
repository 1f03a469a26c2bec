namespace GGnet.Core.Domain.Images;

/// <summary>
/// Where a version stands in its test boot: a committed system version is a candidate, booted headless in a bench virtual PC
/// before any PC gets it (<see cref="GGnet.Core.Images.TestCandidate"/>).
/// </summary>
public enum TrialState
{
    /// <summary>Never test-booted: imported, made before test boots existed, or a data or demo image's version.</summary>
    None,

    /// <summary>Committed; its test boot is queued.</summary>
    Waiting,

    /// <summary>Its test boot runs now.</summary>
    Booting,

    /// <summary>Its OS took over its disk in the test boot.</summary>
    Passed,

    /// <summary>Its test boot did not reach the OS: it is made current only with a reason, which the audit keeps.</summary>
    Failed,
}
