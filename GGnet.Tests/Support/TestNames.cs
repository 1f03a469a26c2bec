namespace GGnet.Tests.Support;

/// <summary>Distinct names, so tests sharing one app don't collide.</summary>
public static class TestNames
{
    /// <summary>The prefix and eight random hex digits: "pc-3f9a0c12".</summary>
    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
