using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Nodes;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Nodes;
using GGnet.Infrastructure.Notifications;
using GGnet.Tests.Support.ScaleOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Nodes;

/// <summary>Live changes between two nodes through the real redis-server: each change reaches the other node's screens once, and never comes back.</summary>
public sealed class RedisClusterRelayTests
{
    [Fact]
    public async Task AChangeOnOneNode_RefreshesTheOtherNodesScreens_AndIsNotEchoedBack()
    {
        var prefix = "ggnet-relay-" + Guid.NewGuid().ToString("N")[..8];
        var (n1, n1Notifier) = Relay("n1", prefix);
        var (n2, n2Notifier) = Relay("n2", prefix);
        await n1.StartAsync(CancellationToken.None);
        await n2.StartAsync(CancellationToken.None);
        try
        {
            var seenOnN1 = new List<int>();
            var seenOnN2 = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var imagesOnN2 = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            n1Notifier.MachineUpdated += id => { lock (seenOnN1) { seenOnN1.Add(id); } };
            n2Notifier.MachineUpdated += id => seenOnN2.TrySetResult(id);
            n2Notifier.ImageUpdated += id => imagesOnN2.TrySetResult(id);

            n1Notifier.MachineChanged(42);
            n1Notifier.ImageChanged(7);

            Assert.Equal(42, await seenOnN2.Task.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(7, await imagesOnN2.Task.WaitAsync(TimeSpan.FromSeconds(5)));
            await Task.Delay(300);
            lock (seenOnN1)
            {
                Assert.Equal([42], seenOnN1);
            }
        }
        finally
        {
            await n1.StopAsync(CancellationToken.None);
            await n2.StopAsync(CancellationToken.None);
            await n1.DisposeAsync();
            await n2.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("machine 12", StatusChangeKind.Machine, 12)]
    [InlineData("bootsync 0", StatusChangeKind.BootSync, 0)]
    public void StatusChange_TravelsAsText_AndComesBackTheSame(string text, StatusChangeKind kind, int id)
    {
        Assert.Equal(new StatusChange(kind, id), StatusChange.Parse(text));
        Assert.Equal(text, new StatusChange(kind, id).Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("machine")]
    [InlineData("machine -1")]
    [InlineData("reboot 3")]
    [InlineData("9 3")]
    public void StatusChange_FromAnythingElse_IsNothing(string text) => Assert.Null(StatusChange.Parse(text));

    private static (RedisClusterRelay Relay, InProcessStatusNotifier Notifier) Relay(string name, string prefix)
    {
        var redis = Environment.GetEnvironmentVariable(TwoNodeCluster.RedisVariable)
            ?? throw new InvalidOperationException($"Set {TwoNodeCluster.RedisVariable} to a redis-server of the tests' own, or run the suite with deploy/test.sh, which starts one.");
        var notifier = new InProcessStatusNotifier();
        var local = new LocalNode(Hostname.Parse(name), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        // Never started: it only counts the sync requests other nodes send.
        var bootSync = new BootSyncService(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), Options.Create(new BootOptions()),
            Options.Create(new NodeOptions()), new BootPlaneStatus(), TimeProvider.System, NullLogger<BootSyncService>.Instance);
        var relay = new RedisClusterRelay(Options.Create(new RedisOptions { Configuration = redis, ChannelPrefix = prefix }), notifier, bootSync, local,
            NullLogger<RedisClusterRelay>.Instance);
        return (relay, notifier);
    }
}
