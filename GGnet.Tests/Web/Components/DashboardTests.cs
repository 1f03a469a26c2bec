using Bunit;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Dashboard;
using Microsoft.Extensions.DependencyInjection;
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
            await machines.AddAsync(machine, CancellationToken.None);
            ids.Add(machine.Id);
        }
        await boot.RecordObservationAsync(ids[0], BootStage.Online, null, DateTime.UtcNow, CancellationToken.None);
        await boot.RecordObservationAsync(ids[1], BootStage.ScriptFetched, null, DateTime.UtcNow, CancellationToken.None);
        boot.Recent.Add(new BootEvent(ids[0], MacAddress.Parse("52:54:00:00:01:01"), BootEventKind.DiskAttached, null, DateTime.UtcNow, "initiator iqn.x from 10.99.0.10"));
        boot.Recent.Add(new BootEvent(ids[0], MacAddress.Parse("52:54:00:00:01:01"), BootEventKind.DhcpLease, Ipv4Address.Parse("10.99.0.101"), DateTime.UtcNow.AddSeconds(-30)));
        await using var context = ComponentTestContext.Create(machines, boot: boot);
        var groups = context.Services.GetRequiredService<GGnet.Core.Ports.IMachineGroupRepository>();
        var hall = new MachineGroup("hall-a", null);
        await groups.AddAsync(hall, g => null!, CancellationToken.None);
        var first = (await machines.FindAsync(ids[0], CancellationToken.None))!;
        typeof(Machine).GetProperty(nameof(Machine.GroupId))!.SetValue(first, hall.Id);

        var page = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<Dashboard>(1);
            builder.CloseComponent();
        });

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("#machine-tiles .ggnet-tile").Count));
        var online = page.Find(".ggnet-tile[data-machine='pc-01']");
        Assert.Contains("ggnet-tile-online", online.ClassName, StringComparison.Ordinal);
        Assert.Equal("hall-a", online.QuerySelector(".ggnet-tile-group")!.TextContent);
        Assert.Equal("10.99.0.101", online.QuerySelector(".ggnet-tile-address")!.TextContent);
        Assert.Equal("<1 min", online.QuerySelector(".ggnet-tile-since")!.TextContent);
        Assert.Contains("ggnet-tile-booting", page.Find(".ggnet-tile[data-machine='pc-02']").ClassName, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".ggnet-tile[data-machine='pc-03'] .ggnet-tile-since"));
        Assert.Contains("Disk storage", page.Find("#storage-gauge").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#storage-gauge #clone-strategy"));
        var counters = page.Find("#counters").TextContent;
        Assert.Contains("Online", counters, StringComparison.Ordinal);
        Assert.Contains("Idle (no session)", counters, StringComparison.Ordinal);
        Assert.Contains("attached its disk (firmware): online", page.Find("#boot-feed").TextContent, StringComparison.Ordinal);
        Assert.Contains("pc-01", page.Find("#boot-feed").TextContent, StringComparison.Ordinal);
        Assert.Contains("No session has failed or been stopped by GGnet.", page.Markup, StringComparison.Ordinal);

        await page.Find("#tile-stage-online").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["pc-01"], page.FindAll("#machine-tiles .ggnet-tile").Select(t => t.GetAttribute("data-machine"))));

        await page.Find("#tile-stage-booting").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["pc-02"], page.FindAll("#machine-tiles .ggnet-tile").Select(t => t.GetAttribute("data-machine"))));

        await page.Find("#tile-stage-offline").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("No machine matches this filter.", page.Find("#tiles-none").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFailureFeed_ShowsWhyASessionFailed_AndWhyGGnetStoppedOne_NotAStopByAPerson_AndCountsOnlyTheFailure()
    {
        var machines = new InMemoryMachineRepository();
        var names = new[] { "pc-17", "pc-18", "pc-19" };
        var ids = new List<int>();
        foreach (var name in names)
        {
            var mac = MacAddress.Parse($"52:54:00:00:02:{ids.Count + 1:x2}");
            var machine = new Machine(new MachineDetails(Hostname.Parse(name), mac, null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
            await machines.AddAsync(machine, CancellationToken.None);
            ids.Add(machine.Id);
        }
        await using var context = ComponentTestContext.Create(machines);
        var sessions = (NoSessions)context.Services.GetRequiredService<GGnet.Core.Ports.ISessionRepository>();
        var overQuota = Ended(ids[0]);
        overQuota.Stop(Session.SystemActor, DateTime.UtcNow, "wrote 1104 MiB, more than its image's write quota of 1024 MiB: stopped");
        var failed = Ended(ids[1]);
        failed.Fail("GGnet could not create the iSCSI target: tgtd is not running", DateTime.UtcNow);
        var byAlice = Ended(ids[2]);
        byAlice.Stop("alice", DateTime.UtcNow);
        sessions.Ended.AddRange([overQuota, failed, byAlice]);

        var page = context.Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#failure-feed tr").Count));
        var feed = page.Find("#failure-feed").TextContent;
        Assert.Contains("pc-17", feed, StringComparison.Ordinal);
        Assert.Contains("wrote 1104 MiB, more than its image's write quota of 1024 MiB: stopped", feed, StringComparison.Ordinal);
        Assert.Contains("pc-18", feed, StringComparison.Ordinal);
        Assert.Contains("tgtd is not running", feed, StringComparison.Ordinal);
        Assert.DoesNotContain("pc-19", feed, StringComparison.Ordinal);
        Assert.Equal("1", page.Find("#counters [data-counter='Failed (24 h)']").GetAttribute("data-value"));

        static Session Ended(int machineId) => new(machineId, 1, SessionType.Normal, "node", DateTime.UtcNow);
    }

    [Fact]
    public async Task BootTimes_WithoutBoots_SayWhatToDo_AndWithBoots_ShowTheirMedianAndSlowest()
    {
        await using var empty = ComponentTestContext.Create(new InMemoryMachineRepository());
        var none = empty.Render<Dashboard>();
        none.WaitForAssertion(() => Assert.Contains("No boot measured in the last 12 hours.", none.Find("#boot-durations-none").TextContent, StringComparison.Ordinal));

        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var sessions = (NoSessions)context.Services.GetRequiredService<GGnet.Core.Ports.ISessionRepository>();
        // All three in one hour (early in an hour, they are put in the last minutes of the one before).
        var now = DateTime.UtcNow.Minute >= 5 ? DateTime.UtcNow : DateTime.UtcNow.AddMinutes(-10);
        sessions.PastBoots.AddRange([
            new GGnet.Core.Sessions.BootDuration(1, now.AddMinutes(-3).AddSeconds(-40), now.AddMinutes(-3)),
            new GGnet.Core.Sessions.BootDuration(2, now.AddMinutes(-2).AddSeconds(-20), now.AddMinutes(-2)),
            new GGnet.Core.Sessions.BootDuration(3, now.AddMinutes(-1).AddSeconds(-30), now.AddMinutes(-1)),
        ]);
        var page = context.Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Equal("3 boots, median 30.0 s, slowest 40.0 s.", page.Find("#boot-durations-summary").TextContent.Trim()));
        Assert.Equal("3", page.Find("#boot-durations").GetAttribute("data-boots"));
        Assert.Contains("30", page.Find("#counters").TextContent, StringComparison.Ordinal);
        // The chart: a column per hour; the boots' hour has its bars at the median and the slowest boot, the others none.
        var hours = page.FindAll("#boot-durations-chart .ggnet-chart-column");
        var booted = Assert.Single(hours, h => h.GetAttribute("title")!.Contains("3 boots, median 30.0 s, slowest 40.0 s", StringComparison.Ordinal));
        Assert.Equal(12, hours.Count);
        Assert.Equal(["30", "40"], booted.QuerySelectorAll(".ggnet-chart-bar").Select(b => b.GetAttribute("data-value")));
        Assert.All(hours.Where(h => h != booted), h => Assert.Contains("no boot", h.GetAttribute("title"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_SaysRedForAMissingBootNetworkAndADownTarget_GreenForRoomyStorage()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());

        var panel = context.Render<GGnet.Web.Components.Pages.Settings.HealthPanel>();

        panel.WaitForAssertion(() => Assert.Equal(5, panel.FindAll("#health tr[data-component]").Count));
        Assert.Equal("red", panel.Find("tr[data-component='DHCP']").GetAttribute("data-level"));
        Assert.Contains("The boot network is not set up", panel.Find("tr[data-component='DHCP']").TextContent, StringComparison.Ordinal);
        Assert.Equal("amber", panel.Find("tr[data-component='TFTP']").GetAttribute("data-level"));
        Assert.Equal("red", panel.Find("tr[data-component='iSCSI']").GetAttribute("data-level"));
        Assert.Contains(DownIscsiBackend.Why, panel.Find("tr[data-component='iSCSI']").TextContent, StringComparison.Ordinal);
        Assert.Equal("green", panel.Find("tr[data-component='Storage']").GetAttribute("data-level"));
        Assert.Contains("Session disks: reflink clones.", panel.Find("tr[data-component='Storage']").TextContent, StringComparison.Ordinal);
        Assert.Equal("green", panel.Find("tr[data-component='Jobs']").GetAttribute("data-level"));
    }

    [Fact]
    public async Task Health_NoJobServerAlive_IsRed_AndFailedJobsAreAmber_EachWithWhatToDo()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var jobs = context.Services.GetRequiredService<SteadyJobs>();

        jobs.Status = new GGnet.Core.Ports.JobsStatus(0, 0, 3);
        var dead = await context.Services.GetRequiredService<GGnet.Core.Health.CheckHealth>().ExecuteAsync(CancellationToken.None);
        jobs.Status = new GGnet.Core.Ports.JobsStatus(1, 2, 0);
        var failed = await context.Services.GetRequiredService<GGnet.Core.Health.CheckHealth>().ExecuteAsync(CancellationToken.None);

        var deadJobs = Assert.Single(dead, p => p.Component == "Jobs");
        Assert.Equal(GGnet.Core.Health.HealthLevel.Red, deadJobs.Level);
        Assert.StartsWith("No job server has answered in the last minute", deadJobs.Sentence, StringComparison.Ordinal);
        var failedJobs = Assert.Single(failed, p => p.Component == "Jobs");
        Assert.Equal(GGnet.Core.Health.HealthLevel.Amber, failedJobs.Level);
        Assert.StartsWith("2 background job(s) failed for good", failedJobs.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MachineDetail_ShowsTheBootTimelineStepByStep_AndTheScriptItGetsNow()
    {
        var machines = new InMemoryMachineRepository();
        var boot = new InMemoryBootRepository(machines);
        var machine = new Machine(new MachineDetails(Hostname.Parse("pc-07"), MacAddress.Parse("52:54:00:00:07:07"), null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
        await machines.AddAsync(machine, CancellationToken.None);
        var start = DateTime.UtcNow.AddMinutes(-1);
        boot.Recent.AddRange(new[]
        {
            new BootEvent(machine.Id, machine.MacAddress, BootEventKind.DiskAttached, null, start.AddSeconds(9.5), "initiator iqn.x from 10.99.0.17"),
            new BootEvent(machine.Id, machine.MacAddress, BootEventKind.ScriptFetchedHttp, null, start.AddSeconds(2)),
            new BootEvent(machine.Id, machine.MacAddress, BootEventKind.DhcpLease, Ipv4Address.Parse("10.99.0.17"), start),
        });
        await using var context = ComponentTestContext.Create(machines, boot: boot);

        var page = context.Render<GGnet.Web.Components.Pages.Machines.MachineDetail>(p => p.Add(d => d.Id, machine.Id));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("#boot-timeline .mud-timeline-item").Count));
        var steps = page.FindAll("#boot-timeline .mud-timeline-item").Select(i => i.TextContent).ToList();
        Assert.Contains("got an address (DHCP)", steps[0], StringComparison.Ordinal);
        Assert.Contains("10.99.0.17", steps[0], StringComparison.Ordinal);
        Assert.Contains("fetched its iPXE script over HTTP", steps[1], StringComparison.Ordinal);
        Assert.Contains("(+2.0 s)", steps[1], StringComparison.Ordinal);
        Assert.Contains("disk attached by its firmware: online", steps[2], StringComparison.Ordinal);
        Assert.Contains("(+7.5 s)", steps[2], StringComparison.Ordinal);
        Assert.NotEmpty(page.Find("#boot-script-text").TextContent);
    }

    [Fact]
    public async Task MachineDetail_ForAnAdmin_SetsChap_ShowsNoSecretsWithoutASession_AndAFailedAttachShowsWhy()
    {
        var machines = new InMemoryMachineRepository();
        var boot = new InMemoryBootRepository(machines);
        var machine = new Machine(new MachineDetails(Hostname.Parse("pc-08"), MacAddress.Parse("52:54:00:00:08:08"), null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
        await machines.AddAsync(machine, CancellationToken.None);
        var failure = GGnet.Core.Boot.AttachFailure.TryParse("0x410d613c")!;
        boot.Recent.Add(new BootEvent(machine.Id, machine.MacAddress, BootEventKind.AttachFailed, null, DateTime.UtcNow, failure.Sentence));
        await using var context = ComponentTestContext.Create(machines, boot: boot, admin: true);
        context.Render<MudBlazor.MudPopoverProvider>();

        var page = context.Render<GGnet.Web.Components.Pages.Machines.MachineDetail>(p => p.Add(d => d.Id, machine.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#machine-chap")));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("mutual"));
        page.Find("#chap-reveal").Click();

        // Every session gets new secrets when it starts: with none running there are none to show.
        Assert.Empty(page.FindAll("#chap-secrets"));
        Assert.Contains("Every session gets new secrets", page.Find("#machine-chap").TextContent, StringComparison.Ordinal);
        Assert.Equal(GGnet.Core.Iscsi.ChapPolicy.Mutual, (await machines.FindAsync(machine.Id, CancellationToken.None))!.Chap);
        Assert.Contains("could not attach its disk", page.Find("#boot-timeline").TextContent, StringComparison.Ordinal);
        Assert.Contains("refused its login", page.Find("#boot-timeline").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MachineDetail_ForAnOperator_HasNoChapPanel()
    {
        var machines = new InMemoryMachineRepository();
        var machine = new Machine(new MachineDetails(Hostname.Parse("pc-09"), MacAddress.Parse("52:54:00:00:09:09"), null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
        await machines.AddAsync(machine, CancellationToken.None);
        await using var context = ComponentTestContext.Create(machines, canOperate: true);

        var page = context.Render<GGnet.Web.Components.Pages.Machines.MachineDetail>(p => p.Add(d => d.Id, machine.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#boot-script-text")));
        Assert.Empty(page.FindAll("#machine-chap"));
    }
}
