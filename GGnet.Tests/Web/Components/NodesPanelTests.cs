using Bunit;
using GGnet.Core.Domain.Nodes;
using GGnet.Core.Health;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Components;

public sealed class NodesPanelTests
{
    [Fact]
    public async Task ANodeThatStoppedAnswering_IsRed_WithWhatToDo_AndHealthSaysSo()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), admin: true);
        var nodes = context.Services.GetRequiredService<InMemoryNodes>();
        var now = DateTime.UtcNow;
        nodes.Add(new Node("ggnet-1", null, "/var/lib/ggnet/images\n/var/lib/ggnet/disks", "1.0", now));
        var silent = new Node("storage-2", "10.0.0.12", "/srv/disks", "1.0", now.AddMinutes(-10));
        nodes.Add(silent);
        nodes.Images["storage-2"] = 3;

        var panel = context.Render<NodesPanel>();

        var down = panel.Find("tr[data-node='storage-2']");
        Assert.Equal("false", down.GetAttribute("data-up"));
        Assert.Contains("Down: not heard from since", down.TextContent, StringComparison.Ordinal);
        Assert.Contains("start GGnet on storage-2 again", down.TextContent, StringComparison.Ordinal);
        Assert.Contains("10.0.0.12", down.TextContent, StringComparison.Ordinal);
        var here = panel.Find("tr[data-node='ggnet-1']");
        Assert.Equal("true", here.GetAttribute("data-up"));
        Assert.Contains("(this node)", here.TextContent, StringComparison.Ordinal);

        var health = await context.Services.GetRequiredService<CheckHealth>().ExecuteAsync(CancellationToken.None);
        var part = Assert.Single(health, p => p.Component == "Nodes");
        Assert.Equal(HealthLevel.Red, part.Level);
        Assert.StartsWith("Node(s) storage-2 stopped answering", part.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASingleNode_AddsNoNodesPartToHealth()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), admin: true);
        context.Services.GetRequiredService<InMemoryNodes>().Add(new Node("ggnet-1", null, "", "1.0", DateTime.UtcNow));

        var health = await context.Services.GetRequiredService<CheckHealth>().ExecuteAsync(CancellationToken.None);

        Assert.DoesNotContain(health, p => p.Component == "Nodes");
    }
}
