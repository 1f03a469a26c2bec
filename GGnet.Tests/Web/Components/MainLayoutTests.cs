using Bunit;
using GGnet.Tests.Support;
using GGnet.Web.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace GGnet.Tests.Web.Components;

/// <summary>A page drawn before its live connection is up says it is on its way, and its controls wait (wwwroot/app.css).</summary>
public sealed class MainLayoutTests
{
    [Theory]
    [InlineData(false, "true")]
    [InlineData(true, "false")]
    public async Task BeforeThePageIsLive_ItIsMarkedBusy_WithABar_AndOnceLiveNeither(bool live, string busy)
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), userName: "admin", admin: true);
        context.Renderer.SetRendererInfo(new RendererInfo(live ? "Server" : "Static", isInteractive: live));

        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, builder => builder.AddContent(0, "page")));

        var root = layout.Find(".mud-layout");
        Assert.Equal(busy, root.GetAttribute("aria-busy"));
        Assert.Equal(!live, root.ClassList.Contains("ggnet-waking"));
        Assert.Equal(live ? 0 : 1, layout.FindAll(".ggnet-waking-bar").Count);
    }
}
