using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Boot;

/// <summary>Derives iSCSI names from the configured naming authority (e.g. <c>iqn.2024-01.net.ggnet</c>).</summary>
public sealed record IqnNaming(Iqn Authority)
{
    /// <summary>The machine's own initiator name if it has one, else one derived from its MAC address.</summary>
    public Iqn InitiatorFor(Machine machine) =>
        machine.InitiatorIqn ?? Iqn.Parse($"{Authority}:initiator.{machine.MacAddress.Value.Replace(":", "", StringComparison.Ordinal)}");

    public Iqn TargetForSession(int sessionId) => Iqn.Parse($"{Authority}:session.{sessionId}");

    /// <summary>A candidate version's test-boot target: not a session's, so reconcile leaves it to its test boot.</summary>
    public Iqn TargetForTrial(int versionId) => Iqn.Parse($"{Authority}:trial.{versionId}");

    /// <summary>The bench PC's initiator name in a version's test boot.</summary>
    public Iqn InitiatorForTrial(int versionId) => Iqn.Parse($"{Authority}:initiator.trial-{versionId}");
}
