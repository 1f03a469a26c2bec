using Bunit;
using GGnet.Tests.Support;
using GGnet.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

/// <summary>
/// The frame around every page: before the page is live it says it is on its way and its controls wait
/// (wwwroot/app.css); a page, a dialog or a drop-down list that fails shows a sentence in its place and the rest stays usable.
/// </summary>
public sealed class MainLayoutTests
{
    [Theory]
    [InlineData(false, "true")]
    [InlineData(true, "false")]
    public async Task BeforeThePageIsLive_ItIsMarkedBusy_WithABar_AndOnceLiveNeither(bool live, string busy)
    {
        await using var context = Admin(live);

        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, builder => builder.AddContent(0, "page")));

        var root = layout.Find(".mud-layout");
        Assert.Equal(busy, root.GetAttribute("aria-busy"));
        Assert.Equal(!live, root.ClassList.Contains("ggnet-waking"));
        Assert.Equal(live ? 0 : 1, layout.FindAll(".ggnet-waking-bar").Count);
    }

    [Fact]
    public async Task APageThatFailsToDraw_ShowsWhatHappenedInItsPlace_AndTheMenuStays_UntilAPageIsOpened()
    {
        await using var context = Admin(live: true);

        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, Page<FailsToDraw>()));

        layout.WaitForAssertion(() => Assert.Equal("The machine store did not answer.", layout.Find("#page-error-message").TextContent.Trim()));
        Assert.Contains("GGnet itself keeps running", layout.Find("#page-error").TextContent, StringComparison.Ordinal);
        Assert.Equal("alert", layout.Find("#page-error").GetAttribute("role"));
        Assert.NotEmpty(layout.FindAll("#page-error-reload"));
        Assert.NotEmpty(layout.FindAll(".mud-navmenu a"));

        layout.Render(p => p.Add(l => l.Body, builder => builder.AddContent(0, "another page")));
        Assert.Empty(layout.FindAll("#page-error"));
        Assert.Contains("another page", layout.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClickThatFails_ShowsWhatHappenedInThePagesPlace_AndTheLiveConnectionStays()
    {
        await using var context = Admin(live: true);
        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, Page<FailsOnClick>()));

        layout.Find("#fails").Click();

        layout.WaitForAssertion(() => Assert.Equal("Stopping pc-17 failed: tgtd is not running.", layout.Find("#page-error-message").TextContent.Trim()));
        // The layout still answers: the theme switch works after the page's error.
        layout.Find("#dark-mode").Click();
        Assert.NotEmpty(layout.FindAll("#page-error"));
    }

    [Fact]
    public async Task AClickThatFailsInADialog_ClosesTheDialogAsCancelledAndSaysWhy_ThePageStays_AndDialogsOpenAgainOnceRead()
    {
        await using var context = Admin(live: true);
        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, builder => builder.AddContent(0, "the machines page")));
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        var dialog = await layout.InvokeAsync(() => dialogs.ShowAsync<FailingDialog>("Edit pc-17"));

        layout.WaitForElement("#dialog-fails").Click();

        layout.WaitForAssertion(() => Assert.Equal("Saving pc-17 failed: the database is locked.", layout.Find("#dialog-error-message").TextContent.Trim()));
        Assert.Equal("alert", layout.Find("#dialog-error").GetAttribute("role"));
        Assert.Empty(layout.FindAll("#dialog-fails"));
        Assert.Contains("the machines page", layout.Markup, StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("#page-error"));
        // Whoever opened it and waits for its answer goes on, as after a Cancel.
        Assert.True((await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5)))?.Canceled);

        layout.Find("#dialog-error-close").Click();
        layout.WaitForAssertion(() => Assert.Empty(layout.FindAll("#dialog-error")));
        await layout.InvokeAsync(() => dialogs.ShowAsync<FailingDialog>("Edit pc-17"));
        layout.WaitForElement("#dialog-fails");
    }

    [Fact]
    public async Task ADialogThatFailsToDraw_SaysWhy_AndThePageStays_UntilAnotherPageIsOpened()
    {
        await using var context = Admin(live: true);
        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, builder => builder.AddContent(0, "the images page")));
        var dialogs = context.Services.GetRequiredService<IDialogService>();

        // Not awaited: the dialog service waits for the dialog to be drawn, which it never is.
        _ = layout.InvokeAsync(() => dialogs.ShowAsync<DialogFailsToDraw>("Import an image"));

        layout.WaitForAssertion(() => Assert.Equal("The import folder can't be read.", layout.Find("#dialog-error-message").TextContent.Trim()));
        Assert.Contains("the images page", layout.Markup, StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("#page-error"));

        layout.Render(p => p.Add(l => l.Body, builder => builder.AddContent(0, "the sessions page")));
        Assert.Empty(layout.FindAll("#dialog-error"));
    }

    [Fact]
    public async Task AChoiceInADropDownListThatFails_SaysWhy_ThePageStays_AndDropDownsOpenAgainOnceRead()
    {
        await using var context = Admin(live: true);
        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, Page<FailsOnChoice>()));

        Choose(layout, "Offline");

        layout.WaitForAssertion(() => Assert.Equal("Filtering the sessions failed: the database is locked.", layout.Find("#dropdown-error-message").TextContent.Trim()));
        Assert.Equal("alert", layout.Find("#dropdown-error").GetAttribute("role"));
        Assert.NotEmpty(layout.FindAll("#state-filter"));
        Assert.Empty(layout.FindAll("#page-error"));

        // Until the notice is closed, a drop-down list drawn and opened anew (in a dialog opened meanwhile) fails nothing.
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        var dialog = await layout.InvokeAsync(() => dialogs.ShowAsync<DialogWithChoice>("Filter"));
        layout.WaitForElement("#dialog-choice");
        layout.Find(".mud-dialog div.mud-select .mud-input-control").MouseDown();
        Assert.Empty(layout.FindAll("#dialog-error"));
        Assert.Empty(layout.FindAll("#page-error"));
        await layout.InvokeAsync(() => dialog.Close());

        layout.Find("#dropdown-error-close").Click();
        layout.WaitForAssertion(() => Assert.Empty(layout.FindAll("#dropdown-error")));
        Choose(layout, "Online");
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("#dropdown-error")));
    }

    // Opens the page's drop-down list and clicks the item.
    private static void Choose(IRenderedComponent<MainLayout> layout, string item)
    {
        layout.Find("div.mud-select .mud-input-control").MouseDown();
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll(".mud-popover-open .mud-list-item")));
        layout.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == item).Click();
    }

    // An admin's layout, drawn live (in the circuit) or before it (on the server).
    private static BunitContext Admin(bool live)
    {
        var context = ComponentTestContext.Create(new InMemoryMachineRepository(), userName: "admin", admin: true);
        context.Renderer.SetRendererInfo(new RendererInfo(live ? "Server" : "Static", isInteractive: live));
        return context;
    }

    private static RenderFragment Page<TPage>() where TPage : IComponent => builder =>
    {
        builder.OpenComponent<TPage>(0);
        builder.CloseComponent();
    };

    private sealed class FailsToDraw() : ThrowsOnDraw("The machine store did not answer.");

    private sealed class DialogFailsToDraw() : ThrowsOnDraw("The import folder can't be read.");

    private sealed class FailsOnClick() : ThrowsOnClick("fails", "Stopping pc-17 failed: tgtd is not running.");

    private sealed class FailingDialog() : ThrowsOnClick("dialog-fails", "Saving pc-17 failed: the database is locked.");

    // A page with a drop-down list whose every choice throws.
    private sealed class FailsOnChoice : ComponentBase
    {
        private static readonly string[] States = ["Online", "Offline"];

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenComponent<MudSelect<string>>(0);
            builder.AddAttribute(1, "id", "state-filter");
            builder.AddAttribute(2, "ValueChanged", EventCallback.Factory.Create<string>(this, _ => throw new InvalidOperationException("Filtering the sessions failed: the database is locked.")));
            builder.AddAttribute(3, "ChildContent", (RenderFragment)(items =>
            {
                foreach (var state in States)
                {
                    items.OpenComponent<MudSelectItem<string>>(0);
                    items.AddAttribute(1, "Value", state);
                    items.CloseComponent();
                }
            }));
            builder.CloseComponent();
        }
    }

    // A dialog with a drop-down list of its own.
    private sealed class DialogWithChoice : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenComponent<MudSelect<string>>(0);
            builder.AddAttribute(1, "id", "dialog-choice");
            builder.CloseComponent();
        }
    }

    // A page or dialog that throws this error as it is first drawn.
    private abstract class ThrowsOnDraw(string message) : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException(message);
    }

    // A page or dialog whose one button (this id) throws this error when clicked.
    private abstract class ThrowsOnClick(string id, string message) : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "id", id);
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => throw new InvalidOperationException(message)));
            builder.CloseElement();
        }
    }
}
