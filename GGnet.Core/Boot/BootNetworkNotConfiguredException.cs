namespace GGnet.Core.Boot;

/// <summary>The boot network settings are missing or inconsistent, so no PC can be served yet.</summary>
public sealed class BootNetworkNotConfiguredException(IReadOnlyList<string> problems)
    : Exception("The boot network is not configured: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
