using Bunit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Images;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

/// <summary>What the Versions dialog offers for a candidate: wait while it is tested, one click once it passed, a reason once it failed.</summary>
public sealed class VersionActionsTests
{
    [Fact]
    public async Task ACandidateInItsTestBoot_OffersNothingButWaiting()
    {
        var (page, _) = await RenderAsync(v => v.AwaitTrial());

        Assert.Contains("Testing…", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("button[aria-label='Make v2 current']"));
        Assert.Empty(page.FindAll("button[aria-label='Test-boot v2']"));
    }

    [Fact]
    public async Task APassedCandidate_IsMadeCurrentInOneClick()
    {
        var (page, asked) = await RenderAsync(v => v.PassTrial(40, "Its OS took over its disk 40.0 s after power-on (BIOS).", "", DateTime.UtcNow));

        await page.Find("button[aria-label='Make v2 current']").ClickAsync(new());

        Assert.Equal([(string?)null], asked);
    }

    [Fact]
    public async Task AFailedCandidate_IsMadeCurrentOnlyWithAReason()
    {
        var (page, asked) = await RenderAsync(v => v.FailTrial("The firmware could not boot its disk.", "", DateTime.UtcNow));

        Assert.Empty(page.FindAll("button[aria-label='Make v2 current']"));
        await page.Find("button[aria-label='Override the test boot of v2']").ClickAsync(new());
        var anyway = page.Find("button[aria-label='Make v2 current anyway']");
        Assert.True(anyway.HasAttribute("disabled"));
        await page.InvokeAsync(() => page.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Checked on PC 3 by hand"));
        await page.Find("button[aria-label='Make v2 current anyway']").ClickAsync(new());

        Assert.Equal(["Checked on PC 3 by hand"], asked);
    }

    private static async Task<(IRenderedComponent<VersionActions> Page, List<string?> Asked)> RenderAsync(Action<ImageVersion> shape)
    {
        var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var images = (InMemoryImages)context.Services.GetRequiredService<IImageRepository>();
        var first = images.Add("win11", "/images/win11/1.img");
        var candidate = images.AddVersion(first.ImageId, shape);
        var image = (await images.FindAsync(first.ImageId, CancellationToken.None))!;
        var asked = new List<string?>();
        context.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var page = context.Render<VersionActions>(p => p
            .Add(a => a.Image, image)
            .Add(a => a.Version, candidate)
            .Add(a => a.OnMakeCurrent, (string? reason) => asked.Add(reason)));
        return (page, asked);
    }
}
