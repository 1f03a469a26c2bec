using GGnet.Core.Boot;

namespace GGnet.Core.Ports;

/// <summary>The configured boot network, or why there is none yet.</summary>
public interface IBootNetwork
{
    /// <summary>Null until the boot network is configured and consistent.</summary>
    NetworkSettings? Settings { get; }

    /// <summary>Sentences saying what is missing or inconsistent; empty when <see cref="Settings"/> is set.</summary>
    IReadOnlyList<string> Problems { get; }

    IqnNaming Naming { get; }
}
