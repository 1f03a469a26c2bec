using GGnet.Core.Domain.Nodes;
using GGnet.Core.Nodes;
using GGnet.Infrastructure.Nodes;

namespace GGnet.Tests.Core.Nodes;

public sealed class NodeTests
{
    private static readonly DateTime Start = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ANode_IsUpWhileItsHeartbeatsKeepComing_AndDownOnceSilentForTheLimit()
    {
        var node = new Node("n1", "10.0.0.2", "/srv/ggnet", "1.0", Start);
        node.Seen(Start.AddSeconds(10), 1, 2);

        Assert.True(node.IsUp(Start.AddSeconds(39), TimeSpan.FromSeconds(30)));
        Assert.False(node.IsUp(Start.AddSeconds(40), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void ADownNode_SaysSinceWhen_AndWhatToDo()
    {
        var node = new Node("storage-2", null, "", "1.0", Start);
        var status = new NodeStatus(node, Up: false, IsThisNode: false, ActiveSessions: 0, Images: 3);

        Assert.Equal("Down: not heard from since 2026-11-27 09:00:00 UTC. Its sessions were failed; start GGnet on storage-2 again (systemctl start ggnet), then start them again.",
            status.Sentence(Start.AddMinutes(5)));
        Assert.Equal("Up: last heard from 4 s ago.", (status with { Up = true }).Sentence(Start.AddSeconds(4)));
    }

    [Theory]
    [InlineData("n_1", null, 5, 30, "Node:Name is 'n_1': A name can only hold letters a–z, digits and hyphens (it becomes the PC's host name).")]
    [InlineData("n1", "10.0.0", 5, 30, "Node:PortalAddress is '10.0.0', but it must be an IPv4 address such as 10.0.0.2.")]
    [InlineData("n1", null, 10, 20, "Node:DownAfterSeconds (20) must be at least three heartbeats (3 × Node:HeartbeatSeconds = 30).")]
    public void WrongNodeSettings_AreOneSentenceEach(string name, string? portal, int heartbeat, int downAfter, string expected)
    {
        var options = new NodeOptions { Name = name, PortalAddress = portal, HeartbeatSeconds = heartbeat, DownAfterSeconds = downAfter };

        Assert.Equal([expected], options.Problems().ToList());
    }

    [Fact]
    public void NodeNames_AreKeptInLowercase_SoTheyMakeValidJobQueueNames()
    {
        var local = new NodeOptions { Name = "Storage-2" }.ToLocalNode();

        Assert.Equal("storage-2", local.Key);
        Assert.Equal("node-storage-2", GGnet.Infrastructure.Jobs.NodeQueues.Work(local.Key));
    }
}
