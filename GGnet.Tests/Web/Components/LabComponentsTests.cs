using Bunit;
using GGnet.Core.Storage;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Dashboard;
using GGnet.Web.Components.Pages.Machines;
using GGnet.Web.Components.Pages.Settings;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

public sealed class LabComponentsTests
{
    [Fact]
    public async Task Dashboard_InLabMode_SaysWhatTheLabIs_AndOffersOneClick_OnTheImageAndFirmwareChosen()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: FakeLab.Running());

        var page = Render<Dashboard>(context);

        page.WaitForAssertion(() => Assert.Contains("private network 10.99.0.0/24", page.Find("#lab-status").TextContent, StringComparison.Ordinal));
        Assert.Contains("Boot 3 virtual PCs", page.Find("#boot-virtual-pcs").TextContent, StringComparison.Ordinal);
        Assert.Contains("Demo disk", page.Find("#lab-status").TextContent, StringComparison.Ordinal);
        Assert.Contains("BIOS", page.Find("#lab-status").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_InProductionMode_HasNoLabPanel()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: new FakeLab());

        var page = Render<Dashboard>(context);

        page.WaitForAssertion(() => Assert.Contains("Latest changes", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#lab-status"));
        Assert.Empty(page.FindAll("#boot-virtual-pcs"));
    }

    [Fact]
    public async Task Dashboard_WhenTheLabCantStart_ShowsTheReasonAndNoButton()
    {
        var lab = new FakeLab { Status = new GGnet.Core.Lab.LabStatus(true, false, "Lab mode needs root to create its private network: run GGnet as root.", 5) };
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: lab);

        var page = Render<Dashboard>(context);

        page.WaitForAssertion(() => Assert.Contains("needs root", page.Find("#lab-status").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#boot-virtual-pcs"));
    }

    [Fact]
    public async Task Machines_InLabMode_AddVirtualPc_AddsAVirtualRowWithAPowerButton()
    {
        var machines = new InMemoryMachineRepository();
        await using var context = ComponentTestContext.Create(machines, lab: FakeLab.Running());
        var page = Render<Machines>(context);

        page.WaitForAssertion(() => page.Find("#add-virtual-pc"));
        await page.Find("#add-virtual-pc").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            var row = Assert.Single(page.FindAll("tbody tr.mud-table-row"));
            Assert.Contains("vpc-1", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("virtual", row.TextContent, StringComparison.Ordinal);
            Assert.NotNull(row.QuerySelector("button[aria-label='Power on vpc-1']"));
        });
    }

    [Fact]
    public async Task Machines_ARunningVirtualPc_RestartsInOneClick_OffThenOn()
    {
        var machines = new InMemoryMachineRepository();
        var lab = FakeLab.Running();
        await using var context = ComponentTestContext.Create(machines, lab: lab);
        var pc = await context.Services.GetRequiredService<GGnet.Core.Lab.AddVirtualPc>().ExecuteAsync("admin", GGnet.Core.Domain.Machines.Firmware.Bios, CancellationToken.None);
        await lab.PowerOnAsync(pc, CancellationToken.None);
        var page = Render<Machines>(context);

        page.WaitForAssertion(() => page.Find($"button[aria-label='Restart {pc.Name}']"));
        await page.Find($"button[aria-label='Restart {pc.Name}']").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal([$"on {pc.Id}", $"off {pc.Id}", $"on {pc.Id}"], lab.Switched));
        Assert.Contains(pc.Id, lab.PoweredOn);
    }

    [Fact]
    public async Task Machines_InProductionMode_HasNoVirtualPcButton()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: new FakeLab());

        var page = Render<Machines>(context);

        page.WaitForAssertion(() => page.Find("#add-machine"));
        Assert.Empty(page.FindAll("#add-virtual-pc"));
    }

    [Fact]
    public async Task ModePanel_SwitchToProduction_TakesTheBootNetworkFirst_ChecksIt_ThenSavesItForTheNextStart()
    {
        var lab = FakeLab.Running();
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: lab);
        context.AddAuthorization().SetAuthorized("root-admin").SetPolicies(GGnet.Web.Auth.Policies.CanOperate, GGnet.Web.Auth.Policies.AdminOnly);
        var network = context.Services.GetRequiredService<UnconfiguredBootNetwork>();
        var page = Render<ModePanel>(context);

        // Not awaited: the click's handler waits for the dialog it opens.
        page.Find("#switch-to-production").Click();
        page.WaitForAssertion(() => Assert.Contains("Production mode serves real PCs", page.Find("#net-production-intro").TextContent, StringComparison.Ordinal));
        await page.Find("#net-save").ClickAsync(new());

        // Nothing entered: refused with what is missing, and the mode is not changed.
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".network-problem")));
        Assert.Null(lab.SavedLabMode);

        foreach (var (field, value) in new[]
        {
            ("#net-server", "10.20.0.1"), ("#net-interface", "eth1"), ("#net-subnet", "10.20.0.0"), ("#net-netmask", "255.255.255.0"),
            ("#net-range-start", "10.20.0.100"), ("#net-range-end", "10.20.0.200"), ("#net-boot-url", "http://10.20.0.1:5000"),
        })
        {
            page.Find(field).Change(value);
        }
        await page.Find("#net-save").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("when it next starts", page.Find("#mode-pending").TextContent, StringComparison.Ordinal));
        Assert.False(lab.SavedLabMode);
        Assert.Equal("10.20.0.1", network.Saved.ServerAddress);
        Assert.Equal("eth1", network.Saved.Interface);
        // The lab's own network stays in force until the restart.
        Assert.True(string.IsNullOrEmpty(network.Current.ServerAddress));
    }

    private static IRenderedComponent<Bunit.Rendering.ContainerFragment> Render<TPage>(BunitContext context) where TPage : IComponent
    {
        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(3);
            builder.CloseComponent();
        });
    }
}

public sealed class StorageGaugeTests
{
    [Theory]
    [InlineData(10, null)]
    [InlineData(85, "at 90% new sessions are refused")]
    [InlineData(95, "over the 90% limit: new sessions are refused")]
    public async Task Gauge_SaysHowFull_AndWarnsAboveTheLimits(double usedPercent, string? warning)
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        context.Services.GetRequiredService<RoomyStoragePool>().UsedPercent = usedPercent;
        var history = context.Services.GetRequiredService<GGnet.Core.Storage.StorageHistory>();
        history.Record(DateTime.UtcNow.AddMinutes(-10), usedPercent - 2);
        history.Record(DateTime.UtcNow.AddMinutes(-5), usedPercent - 1);

        var gauge = context.Render<GGnet.Web.Components.Shared.StorageGauge>();

        gauge.WaitForAssertion(() => Assert.Equal(usedPercent.ToString("0", System.Globalization.CultureInfo.InvariantCulture), gauge.Find("#storage-gauge").GetAttribute("data-used")));
        if (warning is null)
        {
            Assert.Empty(gauge.FindAll(".mud-alert"));
            Assert.Contains("GiB free of", gauge.Markup, StringComparison.Ordinal);
            Assert.Contains("reflink clones", gauge.Find("#clone-strategy").TextContent, StringComparison.Ordinal);
            Assert.Equal([(usedPercent - 2).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), (usedPercent - 1).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)],
                gauge.FindAll("#storage-chart .ggnet-chart-bar").Select(b => b.GetAttribute("data-value")));
        }
        else
        {
            Assert.Contains(warning, gauge.Find(".mud-alert").TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Gauge_AboveTheWarningLevel_NamesTheThreeSessionsOfThisNodeThatWroteMost()
    {
        var machines = new InMemoryMachineRepository();
        await using var context = ComponentTestContext.Create(machines);
        var sessions = new List<GGnet.Core.Domain.Sessions.Session>();
        var here = context.Services.GetRequiredService<GGnet.Core.Nodes.LocalNode>().Key;
        foreach (var (name, mebibytes, node) in new[] { ("pc-01", 100, here), ("pc-02", 3000, here), ("pc-03", 0, here), ("pc-04", 900, here), ("pc-05", 2000, here),
                     ("pc-06", 5000, "other-node") })
        {
            var machine = BootSamples.Machine(0, name, $"52:54:00:00:00:{sessions.Count + 1:x2}");
            await machines.AddAsync(machine, CancellationToken.None);
            var session = new GGnet.Core.Domain.Sessions.Session(machine.Id, 1, GGnet.Core.Domain.Sessions.SessionType.Normal, node, DateTime.UtcNow);
            session.MeasureOwnBytes((long)mebibytes << 20, null, DateTime.UtcNow);
            sessions.Add(session);
        }
        ((NoSessions)context.Services.GetRequiredService<GGnet.Core.Ports.ISessionRepository>()).Running.AddRange(sessions);
        context.Services.GetRequiredService<RoomyStoragePool>().UsedPercent = 85;

        var gauge = context.Render<GGnet.Web.Components.Shared.StorageGauge>();

        gauge.WaitForAssertion(() => Assert.Equal(["pc-02", "pc-05", "pc-04"], gauge.FindAll("#storage-top-writers a").Select(a => a.TextContent)));
        Assert.Contains("pc-02 2.9 GiB", gauge.Find("#storage-top-writers").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CloneStrategy.Overlay, "qcow2 overlays")]
    [InlineData(CloneStrategy.Copy, "full copies")]
    public async Task Gauge_NamesTheCloneStrategy_AndWhy(CloneStrategy strategy, string label)
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        context.Services.GetRequiredService<RoomyStoragePool>().Strategy = new CloneStrategyChoice(strategy, "because this filesystem can't reflink.");

        var gauge = context.Render<GGnet.Web.Components.Shared.StorageGauge>();

        gauge.WaitForAssertion(() => Assert.Contains($"Session disks: {label}", gauge.Find("#clone-strategy").TextContent, StringComparison.Ordinal));
        Assert.Contains("because this filesystem can't reflink.", gauge.Find("#clone-strategy").TextContent, StringComparison.Ordinal);
    }
}

public sealed class MachineTileTests
{
    private const string Silent = "Its console has printed nothing for 75 s: the virtual PC may have stopped.";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tile_SaysWhatItsSessionWrote_AndTurnsAmberWhenItsWriteSpaceIsLow(bool low)
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var machine = BootSamples.Machine(1, "pc-17", "52:54:00:00:00:17");
        var session = new GGnet.Core.Domain.Sessions.Session(1, 1, GGnet.Core.Domain.Sessions.SessionType.Normal, "node", DateTime.UtcNow);
        session.MeasureOwnBytes(low ? 900L << 20 : 100L << 20, 1L << 30, DateTime.UtcNow);

        var tile = context.Render<MachineTile>(p => p.Add(t => t.Machine, machine).Add(t => t.Session, session).Add(t => t.Now, DateTime.UtcNow));

        Assert.Equal(low ? "wrote 900.0 MiB" : "wrote 100.0 MiB", tile.Find(".ggnet-tile-written").TextContent);
        Assert.Equal(low, tile.Find(".ggnet-tile").ClassList.Contains("ggnet-tile-warning"));
        Assert.Equal(low, tile.Markup.Contains("Write space low: it wrote 900.0 MiB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tile_WithAWarning_TurnsAmberAndSaysIt()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var machine = new GGnet.Core.Domain.Machines.Machine(new GGnet.Core.Domain.Machines.MachineDetails(
            GGnet.Core.Domain.Hostname.Parse("vpc-1"), GGnet.Core.Domain.MacAddress.Parse("52:54:00:00:00:01"), null, null, null,
            GGnet.Core.Domain.Machines.Firmware.Bios, null, true), DateTime.UtcNow, isVirtual: true);

        var tile = context.Render<MachineTile>(p => p.Add(t => t.Machine, machine).Add(t => t.PoweredOn, true).Add(t => t.Warning, Silent).Add(t => t.Now, DateTime.UtcNow));

        Assert.Contains(Silent, tile.Markup, StringComparison.Ordinal);
        Assert.Contains("ggnet-tile-warning", tile.Find(".ggnet-tile").ClassList);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tile_OfAnOnlinePc_SaysWhenItsOsTookOverTheDisk(bool osTookOver)
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var machine = new GGnet.Core.Domain.Machines.Machine(new GGnet.Core.Domain.Machines.MachineDetails(
            GGnet.Core.Domain.Hostname.Parse("pc-17"), GGnet.Core.Domain.MacAddress.Parse("52:54:00:00:00:17"), null, null, null,
            GGnet.Core.Domain.Machines.Firmware.Uefi, null, true), DateTime.UtcNow);
        machine.ObserveBootStage(GGnet.Core.Domain.Machines.BootStage.Online, DateTime.UtcNow);
        var session = new GGnet.Core.Domain.Sessions.Session(1, 1, GGnet.Core.Domain.Sessions.SessionType.Normal, "n1", DateTime.UtcNow);
        session.MoveTo(GGnet.Core.Domain.Sessions.SessionState.Online, DateTime.UtcNow);
        if (osTookOver)
        {
            session.ObserveOsTookOver(DateTime.UtcNow);
        }

        var tile = context.Render<MachineTile>(p => p.Add(t => t.Machine, machine).Add(t => t.Session, session).Add(t => t.Now, DateTime.UtcNow));

        Assert.Equal(osTookOver, tile.Markup.Contains("OS took over its disk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_ShowsWhatTheLabSaysOfASilentVirtualPc_OnItsTile()
    {
        var machines = new InMemoryMachineRepository();
        var lab = FakeLab.Running();
        await using var context = ComponentTestContext.Create(machines, lab: lab);
        var pc = await context.Services.GetRequiredService<GGnet.Core.Lab.AddVirtualPc>().ExecuteAsync("admin", GGnet.Core.Domain.Machines.Firmware.Bios, CancellationToken.None);
        await lab.PowerOnAsync(pc, CancellationToken.None);
        lab.Warnings[pc.Id] = Silent;
        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = context.Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Contains(Silent, page.Find($"[data-machine='{pc.Name.Value}']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_TurnsAVirtualPcAmber_WhenItWasPoweredOnLongAgoAndNeverAskedForAnAddress()
    {
        var machines = new InMemoryMachineRepository();
        var lab = FakeLab.Running();
        await using var context = ComponentTestContext.Create(machines, lab: lab);
        var pc = await context.Services.GetRequiredService<GGnet.Core.Lab.AddVirtualPc>().ExecuteAsync("admin", GGnet.Core.Domain.Machines.Firmware.Bios, CancellationToken.None);
        await lab.PowerOnAsync(pc, CancellationToken.None);
        lab.PowerOnTimes[pc.Id] = DateTime.UtcNow.AddMinutes(-3);
        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = context.Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Contains("powered on 3 min ago and has not asked for an address", page.Find($"[data-machine='{pc.Name.Value}']").TextContent, StringComparison.Ordinal));
    }
}
