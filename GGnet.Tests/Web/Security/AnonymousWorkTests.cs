using System.Net.Http.Json;
using System.Globalization;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// Anyone on the boot network may ask for boot scripts, from any address, for any MAC address: what that costs GGnet
/// is bounded (a limit for all clients beside the one per client; a capped Discovered list; boot records pruned).
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class AnonymousWorkTests(AnonymousWorkTests.App app) : IClassFixture<AnonymousWorkTests.App>
{
    private const int Parallelism = 4;

    [Fact]
    public async Task TenThousandMadeUpMacAddresses_LeaveTheDiscoveredListAtItsCap_WithTheNewestKept_AndARealPcStillReachesTheDashboard()
    {
        var macs = Enumerable.Range(0, 10_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"02-4d-{i >> 16:x2}-{(i >> 8) & 0xff:x2}-{i & 0xff:x2}-7e")).ToList();
        var (seat, seatMac) = await app.AddMachineWithMacAsync();
        using var watcher = await app.CreateAdminClientAsync();
        await using var dashboard = app.ConnectToStatusHub(watcher.DefaultRequestHeaders.Authorization!.Parameter!);
        var seatChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dashboard.On<int>("machineChanged", id =>
        {
            if (id == seat)
            {
                seatChanged.TrySetResult();
            }
        });
        await dashboard.StartAsync();
        TimeSpan? seatSeenAfter = null;

        await Parallel.ForEachAsync(macs.Select((mac, i) => (mac, i)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, cancellationToken) =>
        {
            var answer = await FromAsync($"/boot/{request.mac}.ipxe", "10.99.0.200");
            Assert.Equal(200, answer);
            if (request.i == macs.Count / 2)
            {
                // Half-way through the storm a registered PC asks for its script: the dashboard must hear of it.
                var asked = System.Diagnostics.Stopwatch.StartNew();
                await FromAsync($"/boot/{seatMac.Replace(':', '-')}.ipxe", "10.99.0.201");
                await seatChanged.Task.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
                seatSeenAfter = asked.Elapsed;
            }
        });
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContextAsync();
        var kept = await db.DiscoveredPcs.CountAsync();
        var last = MacAddress.Parse(macs[^1].Replace('-', ':'));
        using var admin = await app.CreateAdminClientAsync();
        var secondPage = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/discovered?page=2&pageSize=7");

        // The live update's speed is the benchmark's to measure (docs/benchmarks.md: 300 ms); here it must not starve.
        Assert.NotNull(seatSeenAfter);
        // Requests recorded at the same moment may each make room: a few fewer than the limit, never more.
        Assert.InRange(kept, App.MaxDiscovered - Parallelism, App.MaxDiscovered);
        Assert.True(await db.DiscoveredPcs.AnyAsync(d => d.MacAddress == last), "the PC seen last must be in the list");
        // The list is read a page at a time.
        Assert.Equal(7, secondPage.GetProperty("items").GetArrayLength());
        Assert.Equal(kept, secondPage.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, secondPage.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task NightlyPruning_DeletesOldBootEventsAndLongUnseenDiscoveredPcs_KeepsTheRest_AndAuditsIt()
    {
        var now = DateTime.UtcNow;
        var machineId = await app.AddMachineAsync();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContextAsync())
        {
            var mac = await db.Machines.Where(m => m.Id == machineId).Select(m => m.MacAddress).SingleAsync();
            db.BootEvents.AddRange(
                new BootEvent(machineId, mac, BootEventKind.ScriptFetchedHttp, null, now.AddDays(-45)),
                new BootEvent(machineId, mac, BootEventKind.ScriptFetchedHttp, null, now.AddDays(-1)));
            var stale = new DiscoveredPc(MacAddress.Parse("02:4d:ff:00:00:01"), now.AddDays(-40));
            stale.Seen(now.AddDays(-40), null, null);
            var fresh = new DiscoveredPc(MacAddress.Parse("02:4d:ff:00:00:02"), now.AddDays(-2));
            fresh.Seen(now.AddDays(-2), null, null);
            db.DiscoveredPcs.AddRange(stale, fresh);
            await db.SaveChangesAsync();
        }

        await using var scope = app.Services.CreateAsyncScope();
        var (events, discovered) = await scope.ServiceProvider.GetRequiredService<PruneBootRecords>().ExecuteAsync(CancellationToken.None);

        await using var after = await app.Services.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContextAsync();
        Assert.True(events >= 1 && discovered >= 1, $"{events} events and {discovered} Discovered PCs pruned");
        Assert.Equal([now.AddDays(-1)], await after.BootEvents.Where(e => e.MachineId == machineId).Select(e => e.At).ToListAsync(), new CloseEnough());
        Assert.False(await after.DiscoveredPcs.AnyAsync(d => d.MacAddress == MacAddress.Parse("02:4d:ff:00:00:01")));
        Assert.True(await after.DiscoveredPcs.AnyAsync(d => d.MacAddress == MacAddress.Parse("02:4d:ff:00:00:02")));
        Assert.True(await after.AuditEvents.AnyAsync(a => a.Action == "boot.pruned" && a.Actor == PruneBootRecords.Actor));
    }

    // The request as it reaches GGnet from that address; its status code.
    private Task<int> FromAsync(string path, string address) => BootRequestFrom.StatusAsync(app.Server, address, path);

    private sealed class CloseEnough : IEqualityComparer<DateTime>
    {
        public bool Equals(DateTime x, DateTime y) => Math.Abs((x - y).TotalSeconds) < 1;

        public int GetHashCode(DateTime obj) => 0;
    }

    /// <summary>A boot app with a small Discovered list and no per-client limit to speak of.</summary>
    public sealed class App : BootAppFactory
    {
        public const int MaxDiscovered = 50;

        protected override int RequestsPerMinute => 1_000_000;

        protected override IEnumerable<(string Key, string Value)> Settings() =>
            base.Settings().Append(("Boot:MaxDiscoveredPcs", MaxDiscovered.ToString(CultureInfo.InvariantCulture))).Append(("Boot:RequestsPerMinute", "1000000"));

        public async Task<(int Id, string Mac)> AddMachineWithMacAsync()
        {
            using var admin = await CreateAdminClientAsync();
            var mac = TestMacs.Next();
            var created = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(admin, "/api/v1/machines", new { name = TestNames.Unique("seat"), macAddress = mac });
            created.EnsureSuccessStatusCode();
            return ((await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(created.Content)).GetProperty("id").GetInt32(), mac);
        }

        /// <summary>A client of the status hub, as the dashboard is, logged in with this API token.</summary>
        public Microsoft.AspNetCore.SignalR.Client.HubConnection ConnectToStatusHub(string token) => new Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "/hubs/status"), options =>
            {
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();

        public async Task<int> AddMachineAsync()
        {
            using var admin = await CreateAdminClientAsync();
            var created = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(admin, "/api/v1/machines", new { name = TestNames.Unique("prune"), macAddress = TestMacs.Next() });
            created.EnsureSuccessStatusCode();
            return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(created.Content)).GetProperty("id").GetInt32();
        }
    }
}

/// <summary>The limit for all clients together: new addresses don't buy more requests.</summary>
[Collection(WebAppTests.Name)]
public sealed class GlobalBootLimitTests(GlobalBootLimitTests.App app) : IClassFixture<GlobalBootLimitTests.App>
{
    [Fact]
    public async Task OverTheLimitForAllClients_EvenAFreshAddressGets429()
    {
        // The limit counts by the wall clock's minute: all the requests fall in one.
        await WallClock.WaitForSecondsOfTheMinuteAsync(0, 55);
        var statuses = new List<int>();
        for (var i = 1; i <= App.Limit + 2; i++)
        {
            statuses.Add(await BootRequestFrom.StatusAsync(app.Server, $"10.99.0.{100 + i}"));
        }

        Assert.All(statuses.Take(App.Limit), s => Assert.Equal(200, s));
        Assert.All(statuses.Skip(App.Limit), s => Assert.Equal(429, s));
    }

    public sealed class App : BootAppFactory
    {
        public const int Limit = 6;

        protected override IEnumerable<(string Key, string Value)> Settings() =>
            base.Settings().Append(("Boot:RequestsPerMinute", Limit.ToString(CultureInfo.InvariantCulture)));
    }
}
