using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Bulk;

/// <summary>Opening and closing time for a whole group through the API, against the real tgtd.</summary>
[Collection(WebAppTests.Name)]
public sealed class BulkActionTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    private static readonly int[] MachineOne = [1];

    [Fact]
    public async Task StartMany_ForAGroup_StartsEachFreeMachine_InOneJob_SaysWhyForABusyOne_ThenStopManyStopsThemAll_InOneJob()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var pcs = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            pcs.Add((await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("hall"), macAddress = TestMacs.Next(), groupId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }
        var busy = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId = pcs[0], imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        // Ready before the stop: a session whose provisioning ends between the stop's read and its save is stopped on its own.
        await admin.WaitForSessionStateAsync(busy, "ready");

        var started = await (await admin.PostAsJsonAsync("/api/v1/sessions/start-many", new { groupId, imageId })).Content.ReadFromJsonAsync<JsonElement>();
        var results = started.GetProperty("results").EnumerateArray().ToList();
        foreach (var session in results.Where(r => r.GetProperty("done").GetBoolean()))
        {
            await admin.WaitForSessionStateAsync(session.GetProperty("sessionId").GetInt32(), "ready");
        }
        var stopped = await (await admin.PostAsJsonAsync("/api/v1/sessions/stop-many", new { groupId })).Content.ReadFromJsonAsync<JsonElement>();
        foreach (var session in stopped.GetProperty("results").EnumerateArray())
        {
            await admin.WaitForSessionStateAsync(session.GetProperty("sessionId").GetInt32(), "stopped");
        }

        Assert.Equal(2, started.GetProperty("done").GetInt32());
        Assert.Equal(1, started.GetProperty("refused").GetInt32());
        Assert.Equal(3, stopped.GetProperty("done").GetInt32());
        Assert.All(stopped.GetProperty("results").EnumerateArray(), r => Assert.Equal("stopping", r.GetProperty("detail").GetString()));
        // Both provisioned by one job, and all three torn down by one: one enqueue each for the whole start and stop.
        var startedIds = results.Where(r => r.GetProperty("done").GetBoolean()).Select(r => r.GetProperty("sessionId").GetInt32()).Order().ToArray();
        var stoppedIds = stopped.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("sessionId").GetInt32()).Order().ToArray();
        var batches = await BatchJobsAsync(("ProvisionAllAsync", startedIds), ("TeardownAllAsync", stoppedIds));
        Assert.Contains(batches, b => b.Ran("ProvisionAllAsync", startedIds));
        Assert.Contains(batches, b => b.Ran("TeardownAllAsync", stoppedIds));
        var refused = Assert.Single(results, r => !r.GetProperty("done").GetBoolean());
        Assert.Equal(pcs[0], refused.GetProperty("machineId").GetInt32());
        Assert.Contains($"already has session {busy}", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASelectionOfNothing_OrOfBothTicksAndAGroup_IsRefusedWithASentence()
    {
        using var admin = await app.CreateAdminClientAsync();

        var nothing = await admin.PostAsJsonAsync("/api/v1/sessions/stop-many", new { machineIds = Array.Empty<int>() });
        var both = await admin.PostAsJsonAsync("/api/v1/machines/wake", new { machineIds = MachineOne, groupId = 1 });
        var unknownGroup = await admin.PostAsJsonAsync("/api/v1/sessions/stop-many", new { groupId = 987654 });

        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("tick them in the list, or pick one group", (await nothing.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownGroup.StatusCode);
    }

    [Fact]
    public async Task AssignGroup_MovesTheTickedMachines_ThenTakesThemOut_EachAnAuditedEdit()
    {
        using var admin = await app.CreateAdminClientAsync();
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall-d") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var ids = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("d"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }

        var moved = await (await admin.PostAsJsonAsync("/api/v1/machines/assign-group", new { machineIds = ids, groupId })).Content.ReadFromJsonAsync<JsonElement>();
        var inGroup = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines?groupId={groupId}");
        var again = await (await admin.PostAsJsonAsync("/api/v1/machines/assign-group", new { machineIds = ids, groupId })).Content.ReadFromJsonAsync<JsonElement>();
        var out_ = await (await admin.PostAsJsonAsync("/api/v1/machines/assign-group", new { machineIds = ids, groupId = (int?)null })).Content.ReadFromJsonAsync<JsonElement>();
        var afterwards = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines?groupId={groupId}");
        var unknown = await admin.PostAsJsonAsync("/api/v1/machines/assign-group", new { machineIds = ids, groupId = 987654 });

        Assert.Equal(2, moved.GetProperty("done").GetInt32());
        Assert.All(moved.GetProperty("results").EnumerateArray(), r => Assert.StartsWith("moved to hall-d", r.GetProperty("detail").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, inGroup.GetProperty("totalCount").GetInt32());
        Assert.All(again.GetProperty("results").EnumerateArray(), r => Assert.StartsWith("in hall-d", r.GetProperty("detail").GetString(), StringComparison.Ordinal));
        Assert.All(out_.GetProperty("results").EnumerateArray(), r => Assert.Equal("taken out of its group", r.GetProperty("detail").GetString()));
        Assert.Equal(0, afterwards.GetProperty("totalCount").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Wake_ForAGroup_SendsOnePacketPerMachine_AndAuditsEach()
    {
        using var admin = await app.CreateAdminClientAsync();
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("wake") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var macs = new[] { TestMacs.Next(), TestMacs.Next() };
        foreach (var mac in macs)
        {
            (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("w"), macAddress = mac, groupId })).EnsureSuccessStatusCode();
        }

        var response = await admin.PostAsJsonAsync("/api/v1/machines/wake", new { groupId });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?pageSize=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("done").GetInt32());
        var woken = app.Services.GetRequiredService<RecordingWakeOnLan>().Woken.Select(m => m.Value).ToList();
        Assert.All(macs, mac => Assert.Contains(mac.ToLowerInvariant(), woken));
        Assert.Equal(2, audit.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "machine.woken" && macs.Any(m => e.GetProperty("after").GetString()!.Contains(m.ToLowerInvariant(), StringComparison.Ordinal))));
    }

    private sealed record BatchJob(string Method, int[] Ids, string State)
    {
        /// <summary>This job is <paramref name="method"/> of exactly these sessions, and has run or is running.</summary>
        public bool Ran(string method, int[] ids) => Method == method && Ids.SequenceEqual(ids) && State is "Succeeded" or "Processing";

        public override string ToString() => $"{Method} [{string.Join(", ", Ids)}] {State}";
    }

    // This app's bulk jobs in whatever state they are in, once the expected ones have run or are running (a batch may
    // still be finishing its last save when its sessions read Ready or Stopped), or after 10 s.
    private async Task<IReadOnlyList<BatchJob>> BatchJobsAsync(params (string Method, int[] Ids)[] expected)
    {
        var monitor = app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            IEnumerable<(Hangfire.Common.Job? Job, string State)> all =
            [
                .. monitor.SucceededJobs(0, 1000).Select(j => (j.Value.Job, "Succeeded")),
                .. monitor.ProcessingJobs(0, 1000).Select(j => (j.Value.Job, "Processing")),
                .. monitor.FailedJobs(0, 1000).Select(j => (j.Value.Job, $"Failed: {j.Value.ExceptionMessage}")),
                .. monitor.ScheduledJobs(0, 1000).Select(j => (j.Value.Job, "Scheduled")),
                .. monitor.Queues().SelectMany(q => monitor.EnqueuedJobs(q.Name, 0, 1000).Select(j => (j.Value.Job, $"Enqueued in {q.Name}"))),
            ];
            var batches = all.Where(j => j.Job?.Type == typeof(GGnet.Infrastructure.Jobs.SessionBatchRunner))
                .Select(j => new BatchJob(j.Job!.Method.Name, [.. ((int[])j.Job.Args[0]).Order()], j.State)).ToList();
            if (expected.All(e => batches.Any(b => b.Ran(e.Method, e.Ids)))
                || DateTime.UtcNow > until)
            {
                return batches;
            }
            await Task.Delay(200);
        }
    }
}
