using Bunit;
using Bunit.Rendering;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Machines;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

public sealed class MachinesPageTests
{
    [Fact]
    public async Task Machines_WithStoredMachines_RendersOneRowEach()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:00:01", "10.99.0.11");
        await AddAsync(machines, "pc-02", "52:54:00:00:00:02", null);
        await using var context = ComponentTestContext.Create(machines);

        var page = RenderWithProviders(context);

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("tbody tr.mud-table-row");
            Assert.Equal(2, rows.Count);
            Assert.Contains("pc-01", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("52:54:00:00:00:01", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("10.99.0.11", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("pc-02", rows[1].TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Machines_Empty_SaysWhatToDo()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());

        var page = RenderWithProviders(context);

        page.WaitForAssertion(() => Assert.Contains("Click \"Add machine\"", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Machines_ForAViewer_HidesAddEditAndDelete()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:00:01", null);
        await using var context = ComponentTestContext.Create(machines, canOperate: false);

        var page = RenderWithProviders(context);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr.mud-table-row")));
        Assert.Empty(page.FindAll("#add-machine"));
        Assert.Empty(page.FindAll("button[aria-label^='Delete']"));
        Assert.Empty(page.FindAll("button[aria-label^='Edit']"));
    }

    [Fact]
    public async Task AddDialog_InvalidFields_ShowsFieldMessagesAndSavesNothing()
    {
        var machines = new InMemoryMachineRepository();
        await using var context = ComponentTestContext.Create(machines);
        var page = RenderWithProviders(context);

        page.Find("#add-machine").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#machine-save")));
        page.Find("#machine-name input, input#machine-name").Input("pc 01;");
        page.Find("#machine-mac input, input#machine-mac").Input("52:54:00:zz:00:01");
        page.Find("#machine-ip input, input#machine-ip").Input("10.0.0.300");
        await page.Find("#machine-save").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("A name can only hold letters", page.Markup, StringComparison.Ordinal);
            Assert.Contains("is not a MAC address", page.Markup, StringComparison.Ordinal);
            Assert.Contains("is not an IPv4 address", page.Markup, StringComparison.Ordinal);
        });
        Assert.Empty(machines.Audit);
    }

    [Fact]
    public async Task AddDialog_DuplicateMac_ShowsTheConflictSentence()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:00:01", null);
        await using var context = ComponentTestContext.Create(machines);
        var page = RenderWithProviders(context);

        page.Find("#add-machine").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#machine-save")));
        page.Find("#machine-name input, input#machine-name").Input("pc-02");
        page.Find("#machine-mac input, input#machine-mac").Input("52-54-00-00-00-01");
        await page.Find("#machine-save").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("already belongs to machine 'pc-01'", page.Find("#machine-error").TextContent, StringComparison.Ordinal));
        Assert.Single(machines.Audit);
    }

    [Fact]
    public async Task AddDialog_ValidMachine_SavesItAsTheUserAndShowsTheRow()
    {
        var machines = new InMemoryMachineRepository();
        await using var context = ComponentTestContext.Create(machines, userName: "bob");
        var page = RenderWithProviders(context);

        page.Find("#add-machine").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#machine-save")));
        page.Find("#machine-name input, input#machine-name").Input("Seat-12");
        page.Find("#machine-mac input, input#machine-mac").Input("5254000000AB");
        await page.Find("#machine-save").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("seat-12", page.Find("tbody").TextContent, StringComparison.Ordinal));
        var audit = Assert.Single(machines.Audit);
        Assert.Equal("bob", audit.Actor);
        Assert.Equal("machine.created", audit.Action);
    }

    [Fact]
    public async Task Discovered_ApproveOneClick_TurnsThePcIntoAMachine()
    {
        var machines = new InMemoryMachineRepository();
        var boot = new InMemoryBootRepository(machines);
        await boot.RecordDiscoveredAsync(MacAddress.Parse("52:54:00:aa:00:01"), DateTime.UtcNow, Ipv4Address.Parse("10.99.0.120"), Firmware.Uefi, keepAtMost: 500, CancellationToken.None);
        await using var context = ComponentTestContext.Create(machines, boot: boot);
        var page = RenderWithProviders(context);
        page.WaitForAssertion(() => Assert.Contains("52:54:00:aa:00:01", page.Find("#discovered").TextContent, StringComparison.Ordinal));

        await page.Find("button[aria-label='Approve 52:54:00:aa:00:01']").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("pc-525400aa0001", page.Find("tbody.mud-table-body").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#discovered"));
        var created = Assert.Single(machines.Audit);
        Assert.Contains("firmware=uefi", created.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_TickTwoMachines_Wake_ShowsEachOutcome_AndWakesBoth()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:00:01", null);
        await AddAsync(machines, "pc-02", "52:54:00:00:00:02", null);
        await using var context = ComponentTestContext.Create(machines);
        var page = RenderWithProviders(context);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr.mud-table-row").Count));

        Assert.Empty(page.FindAll("#bulk-actions"));
        foreach (var row in new[] { 0, 1 })
        {
            page.FindAll("tbody tr.mud-table-row")[row].QuerySelector("input[type=checkbox]")!.Change(true);
        }
        page.WaitForAssertion(() => Assert.Equal("2 selected", page.Find("#bulk-target").TextContent));
        await page.Find("#bulk-wake").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#bulk-outcomes tbody tr").Count));
        Assert.Contains("2 done, 0 not.", page.Find("#bulk-summary").TextContent, StringComparison.Ordinal);
        Assert.All(page.FindAll("#bulk-outcomes tbody tr"), row => Assert.Contains("magic packet sent to 10.0.0.255:9", row.TextContent, StringComparison.Ordinal));
        Assert.Equal(["52:54:00:00:00:01", "52:54:00:00:00:02"], context.Services.GetRequiredService<RecordingWakeOnLan>().Woken.Select(m => m.Value).Order());
    }

    [Fact]
    public async Task Bulk_AnOperatorMadeViewerWhileThePageIsOpen_CantWake_TheHandlerChecksTheRole()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:00:01", null);
        await using var context = ComponentTestContext.Create(machines);
        var page = RenderWithProviders(context);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr.mud-table-row")));
        page.Find("tbody tr.mud-table-row input[type=checkbox]").Change(true);
        page.WaitForAssertion(() => Assert.Equal("1 selected", page.Find("#bulk-target").TextContent));

        // An admin makes this user a Viewer; the button is still on the open page.
        context.Services.GetRequiredService<Bunit.TestDoubles.BunitAuthorizationContext>().SetPolicies();
        await page.Find("#bulk-wake").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Your role can only look", page.Markup, StringComparison.Ordinal));
        Assert.Empty(context.Services.GetRequiredService<RecordingWakeOnLan>().Woken);
        Assert.Empty(page.FindAll("#bulk-outcomes"));
    }

    [Fact]
    public async Task ImportCsv_WithOneBadLine_ShowsTheLineAndWhy_AndAddsNothing()
    {
        var machines = new InMemoryMachineRepository();
        await using var context = ComponentTestContext.Create(machines);
        var page = RenderWithProviders(context);

        page.Find("#import-csv").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#import-csv-start")));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("name,mac\npc-01,52:54:00:00:00:01\npc-02,not-a-mac\n", "machines.csv"));
        page.WaitForAssertion(() => Assert.False(page.Find("#import-csv-start").HasAttribute("disabled")));
        await page.Find("#import-csv-start").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("is not a MAC address", page.Find("#import-csv-report tr[data-line='3']").TextContent, StringComparison.Ordinal));
        Assert.Contains("Nothing was imported: 1 line(s) need fixing.", page.Markup, StringComparison.Ordinal);
        Assert.Equal(0, (await machines.CountAsync(CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Schedules_AddingAnOpeningWithoutAnImage_SaysToChooseOne_AndRegistersNothing()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        await context.Services.GetRequiredService<GGnet.Core.Ports.IMachineGroupRepository>().AddAsync(new MachineGroup("hall-a", null),
            g => new GGnet.Core.Domain.Audit.AuditEvent(DateTime.UtcNow, "seed", "group.created", "group", "1", null, null), CancellationToken.None);
        var page = RenderWithProviders(context);

        page.Find("#schedules-panel .mud-expand-panel-header").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#schedule-add")));
        await page.Find("#schedule-add").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Choose the image the sessions start on.", page.Find("#schedule-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(context.Services.GetRequiredService<InMemorySchedules>().Registered);
        Assert.Contains("No schedules yet", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_AddOne_ThenRenameItToABlankName_SaysItIsRequired_ThenRenameIt()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:00:01", null);
        await using var context = ComponentTestContext.Create(machines);
        var groups = context.Services.GetRequiredService<GGnet.Core.Ports.IMachineGroupRepository>();
        var page = RenderWithProviders(context);

        page.Find("#groups-panel .mud-expand-panel-header").Click();
        page.WaitForAssertion(() => Assert.Contains("No groups yet.", page.Markup, StringComparison.Ordinal));
        page.Find("#group-add").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#group-name")));
        page.Find("#group-name").Change("Hall A");
        await page.Find("#group-save").ClickAsync(new());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#groups tr[data-group='Hall A']")));

        page.Find("#groups tr[data-group='Hall A'] button[aria-label='Rename group Hall A']").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#group-name")));
        page.Find("#group-name").Change("  ");
        await page.Find("#group-save").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("A group name is required.", page.Markup, StringComparison.Ordinal));
        page.Find("#group-name").Change("Hall A (front)");
        await page.Find("#group-save").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#groups tr[data-group='Hall A (front)']")));
        Assert.Equal(["Hall A (front)"], (await groups.ListAsync(CancellationToken.None)).Select(g => g.Name));
    }

    // The page as the layout hosts it: MudBlazor's providers beside it, so dialogs and popovers can open.
    private static IRenderedComponent<ContainerFragment> RenderWithProviders(BunitContext context) =>
        context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<Machines>(3);
            builder.CloseComponent();
        });

    private static Task AddAsync(InMemoryMachineRepository machines, string name, string mac, string? ip) =>
        machines.AddAsync(
            Machine.Create(new MachineDetails(Hostname.Parse(name), MacAddress.Parse(mac), ip is null ? null : Ipv4Address.Parse(ip), null, null, Firmware.Bios, null, true),
                DateTime.UtcNow, "seed"),
            CancellationToken.None);
}
