using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Notifications;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Components;

/// <summary>Open dashboards share their reads until the next announced change.</summary>
public sealed class DashboardReadsTests
{
    [Fact]
    public async Task DashboardsWithTheSameFilter_ShareOneRead_UntilAChangeIsAnnounced()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:02:01");
        await using var context = ComponentTestContext.Create(machines);
        var notifier = new InProcessStatusNotifier();
        context.Services.AddSingleton<IStatusEvents>(notifier);
        var reads = context.Services.GetRequiredService<DashboardReads>();
        var filter = new DashboardFilter(1, null, "all");

        var first = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => reads.ReadAsync(filter)));
        await AddAsync(machines, "pc-02", "52:54:00:00:02:02");
        var beforeTheAnnouncement = await reads.ReadAsync(filter);
        notifier.MachineChanged(2);
        var after = await reads.ReadAsync(filter);

        Assert.All(first, data => Assert.Same(first[0], data));
        Assert.Same(first[0], beforeTheAnnouncement);
        Assert.Single(first[0].Tiles);
        Assert.Equal(2, after.Tiles.Count);
        Assert.Equal(2, after.Counts.Total);
    }

    [Fact]
    public async Task AnotherFilter_IsReadOnItsOwn()
    {
        var machines = new InMemoryMachineRepository();
        await AddAsync(machines, "pc-01", "52:54:00:00:03:01");
        await using var context = ComponentTestContext.Create(machines);
        var reads = context.Services.GetRequiredService<DashboardReads>();

        var all = await reads.ReadAsync(new DashboardFilter(1, null, "all"));
        var online = await reads.ReadAsync(new DashboardFilter(1, null, "online"));

        Assert.Single(all.Tiles);
        Assert.Empty(online.Tiles);
    }

    private static Task AddAsync(InMemoryMachineRepository machines, string name, string mac) =>
        machines.AddAsync(new Machine(new MachineDetails(Hostname.Parse(name), MacAddress.Parse(mac), null, null, null, Firmware.Bios, null, true), DateTime.UtcNow),
            CancellationToken.None);
}
