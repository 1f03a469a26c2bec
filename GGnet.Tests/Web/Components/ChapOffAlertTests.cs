using Bunit;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

/// <summary>An install whose disks are open (CHAP off) says so on the dashboard, and an admin turns CHAP on in one click.</summary>
public sealed class ChapOffAlertTests
{
    [Fact]
    public async Task WithChapOff_TheDashboardSaysTheDisksAreOpen_AndAnAdminTurnsChapOn_ForEveryLaterStart()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), admin: true);
        var page = Dashboard(context);

        var sentence = page.Find("#chap-off").TextContent;
        await page.Find("#chap-turn-on").ClickAsync(new());

        Assert.Contains("Session disks are open: CHAP is off", sentence, StringComparison.Ordinal);
        Assert.Equal(ChapPolicy.OneWay, context.Services.GetRequiredService<ChapDefaults>().Policy);
        Assert.Equal([ChapPolicy.OneWay], context.Services.GetRequiredService<RecordingChapStore>().Saved);
        var audited = Assert.Single(((InMemoryAuditLog)context.Services.GetRequiredService<IAuditLog>()).Events, e => e.Action == "settings.chap-turned-on");
        Assert.Equal("chap=OneWay", audited.After);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#chap-off")));
    }

    [Fact]
    public async Task AnOperator_IsToldToAskAnAdmin_AndHasNoSwitch()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var page = Dashboard(context);

        Assert.Contains("Ask an admin to turn CHAP on.", page.Find("#chap-off").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#chap-turn-on"));
        Assert.Equal(ChapPolicy.Off, context.Services.GetRequiredService<ChapDefaults>().Policy);
    }

    [Fact]
    public async Task WithChapOn_NothingIsShown()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), admin: true);
        context.Services.AddSingleton(new ChapDefaults(ChapPolicy.OneWay));
        var page = Dashboard(context);

        Assert.Empty(page.FindAll("#chap-off"));
    }

    private static IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Dashboard(BunitContext context) =>
        context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<Dashboard>(1);
            builder.CloseComponent();
        });
}
