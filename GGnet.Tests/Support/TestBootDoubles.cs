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

/// <summary>A boot network that is not configured: fixed addresses are not checked against it. What is saved is kept.</summary>
public sealed class UnconfiguredBootNetwork : IBootNetwork, INetworkSettingsStore
{
    public NetworkSettingsInput Current { get; private set; } = new();

    public Task SaveAsync(NetworkSettingsInput input, CancellationToken cancellationToken)
    {
        Current = Saved = input;
        return Task.CompletedTask;
    }

    public Task SaveForNextStartAsync(NetworkSettingsInput input, CancellationToken cancellationToken)
    {
        Saved = input;
        return Task.CompletedTask;
    }

    public NetworkSettingsInput Saved { get; private set; } = new();

    public NetworkSettings? Settings => null;

    public IReadOnlyList<string> Problems { get; } = ["not configured in this test"];

    public IqnNaming Naming { get; } = new(Iqn.Parse("iqn.2024-01.net.ggnet"));
}

/// <summary>The sample boot network (<see cref="BootSamples.Network"/>, 10.99.0.0/24, its gateway 10.99.0.254), configured.</summary>
public sealed class SampleBootNetwork : IBootNetwork
{
    public NetworkSettings? Settings { get; } = BootSamples.Network();

    public IReadOnlyList<string> Problems { get; } = [];

    public IqnNaming Naming { get; } = new(Iqn.Parse("iqn.2024-01.net.ggnet"));
}
