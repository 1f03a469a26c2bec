using Bunit;
using Bunit.TestDoubles;
using GGnet.Infrastructure.Identity;
using GGnet.Tests.Support;
using GGnet.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Components;

/// <summary>An account that still has GGnet's generated first password is asked for its own before anything else.</summary>
public sealed class FirstPasswordDialogTests
{
    [Fact]
    public async Task WithTheGeneratedPassword_TheLayoutAsksForAnOwnOne_WithNoWayToCancel()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), userName: "admin", admin: true);
        // The dialog's account store: only saving would use it, and nothing is saved here.
        context.Services.AddSingleton(new UserAccounts(null!, null!, new InMemoryAuditLog(), new FirstPassword(Microsoft.Extensions.Options.Options.Create(new GGnet.Infrastructure.Persistence.DatabaseOptions())), TimeProvider.System));
        context.Services.GetRequiredService<BunitAuthorizationContext>().SetClaims(FirstPassword.Claim);

        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, builder => builder.AddContent(0, "page")));

        layout.WaitForAssertion(() => Assert.Contains(FirstPassword.MustChangeSentence, layout.Find("#password-must-change").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(layout.FindAll("#password-save"));
        Assert.DoesNotContain(layout.FindAll("button"), b => b.TextContent.Trim() == "Cancel");
    }

    [Fact]
    public async Task WithAnOwnPassword_NothingIsAsked()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), userName: "admin", admin: true);

        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, builder => builder.AddContent(0, "page")));

        layout.WaitForAssertion(() => Assert.Contains("page", layout.Markup, StringComparison.Ordinal));
        Assert.Empty(layout.FindAll("#password-must-change"));
    }
}
