using Bunit;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Dashboard;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

/// <summary>The dashboard's counters, tile filters and live feed over in-memory stores.</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task Counters_Tiles_FilterByStage_AndTheBootFeed()
    {
        var machines = new InMemoryMachineRepository();
        var boot = new InMemoryBootRepository(machines);
        var ids = new List<int>();
        foreach (var (name, mac) in new[] { ("pc-01", "52:54:00:00:01:01"), ("pc-02", "52:54:00:00:01:02"), ("pc-03", "52:54:00:00:01:03") })
        {
            var machine = new Machine(new MachineDetails(Hostname.Parse(name), MacAddress.Parse(mac), null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
            await machines.AddAsync(machine, m => new GGnet.Core.Domain.Audit.AuditEvent(DateTime.UtcNow, "seed", "machine.created", "machine", "x", null, null), CancellationToken.None);
            ids.Add(machine.Id);
        }
        await boot.RecordObservationAsync(ids[0], BootStage.Online, null, DateTime.UtcNow, CancellationToken.None);
        await boot.RecordObservationAsync(ids[1], BootStage.ScriptFetched, null, DateTime.UtcNow, CancellationToken.None);
        boot.Recent.Add(new BootEvent(ids[0], MacAddress.Parse("52:54:00:00:01:01"), BootEventKind.DiskAttached, null, DateTime.UtcNow, "initiator iqn.x from 10.99.0.10"));
        await using var context = ComponentTestContext.Create(machines, boot: boot);

        var page = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<Dashboard>(1);
            builder.CloseComponent();
        });

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("#machine-tiles .ggnet-tile").Count));
        var counters = page.Find("#counters").TextContent;
        Assert.Contains("Online", counters, StringComparison.Ordinal);
        Assert.Contains("Idle (no session)", counters, StringComparison.Ordinal);
        Assert.Contains("attached its disk: online", page.Find("#boot-feed").TextContent, StringComparison.Ordinal);
        Assert.Contains("pc-01", page.Find("#boot-feed").TextContent, StringComparison.Ordinal);
        Assert.Contains("No session has failed.", page.Markup, StringComparison.Ordinal);

        await page.Find("#tile-stage-online").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["pc-01"], page.FindAll("#machine-tiles .ggnet-tile").Select(t => t.GetAttribute("data-machine"))));

        await page.Find("#tile-stage-booting").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["pc-02"], page.FindAll("#machine-tiles .ggnet-tile").Select(t => t.GetAttribute("data-machine"))));

        await page.Find("#tile-stage-offline").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("No machine matches this filter.", page.Find("#tiles-none").TextContent, StringComparison.Ordinal));
    }
}
