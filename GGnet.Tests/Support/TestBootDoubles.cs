using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Counts sync requests instead of syncing.</summary>
public sealed class CountingBootSyncTrigger : IBootSyncTrigger
{
    public int Requests { get; private set; }

    public void Request() => Requests++;
}

/// <summary>A boot network that is not configured: fixed addresses are not checked against it.</summary>
public sealed class UnconfiguredBootNetwork : IBootNetwork
{
    public NetworkSettings? Settings => null;

    public IReadOnlyList<string> Problems { get; } = ["not configured in this test"];

    public IqnNaming Naming { get; } = new(Iqn.Parse("iqn.2024-01.net.ggnet"));
}
