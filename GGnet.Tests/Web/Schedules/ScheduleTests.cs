using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Schedules;

/// <summary>Opening time on a schedule: a Hangfire recurring job per schedule, and what a run does to the group.</summary>
[Collection(WebAppTests.Name)]
public sealed class ScheduleTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task WeekdayOpening_IsARecurringJobAt0900_ARunStartsTheGroupsSessionsAndWakesItsPcs_DeleteRemovesTheJob()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall-a") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var macs = new[] { TestMacs.Next(), TestMacs.Next() };
        foreach (var mac in macs)
        {
            (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("a"), macAddress = mac, groupId })).EnsureSuccessStatusCode();
        }

        var created = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "09:00", days = "weekdays", action = "startAndWake", imageId });
        var schedule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = schedule.GetProperty("id").GetInt32();
        var job = RecurringJob($"schedule-{id}");
        var run = await (await admin.PostAsync(new Uri($"/api/v1/schedules/{id}/run", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        foreach (var outcome in run.GetProperty("results").EnumerateArray())
        {
            await admin.WaitForSessionStateAsync(outcome.GetProperty("sessionId").GetInt32(), "ready");
        }
        var woken = app.Services.GetRequiredService<RecordingWakeOnLan>().Woken.Select(m => m.Value).ToList();
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=schedule&pageSize=50");
        var deleted = await admin.DeleteAsync(new Uri($"/api/v1/schedules/{id}", UriKind.Relative));
        (await admin.PostAsJsonAsync("/api/v1/sessions/stop-many", new { groupId })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("0 9 * * 1,2,3,4,5", schedule.GetProperty("cron").GetString());
        Assert.NotNull(job);
        Assert.Equal("0 9 * * 1,2,3,4,5", job.Cron);
        Assert.Equal(TimeZoneInfo.Local.Id, job.TimeZoneId);
        Assert.Equal(2, run.GetProperty("done").GetInt32());
        Assert.All(macs, mac => Assert.Contains(mac.ToLowerInvariant(), woken));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "schedule.ran" && e.GetProperty("after").GetString()!.Contains("done=2", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(RecurringJob($"schedule-{id}"));
    }

    [Fact]
    public async Task ABadSchedule_IsRefusedFieldByField()
    {
        using var admin = await app.CreateAdminClientAsync();
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall-b") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var bad = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "25:00", days = "someday", action = "dance" });
        var noImage = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "9:30", days = "mon,sat", action = "startAndWake" });
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("HH:mm", errors.GetProperty("at")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("weekdays", errors.GetProperty("days")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("startAndWake", errors.GetProperty("action")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noImage.StatusCode);
        Assert.Contains("Choose the image", (await noImage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("imageId")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WakingInWaves_WakesTheFirstWaveAtOnce_TheNextByAHangfireJobAfterItsSeconds_AndTheRunSaysWhichWaveEachPcIsIn()
    {
        using var admin = await app.CreateAdminClientAsync();
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall-w") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var macs = new[] { TestMacs.Next(), TestMacs.Next(), TestMacs.Next() };
        foreach (var (mac, index) in macs.Select((mac, index) => (mac, index)))
        {
            (await admin.PostAsJsonAsync("/api/v1/machines", new { name = $"{TestNames.Unique("w")}-{index}", macAddress = mac, groupId })).EnsureSuccessStatusCode();
        }
        var wol = app.Services.GetRequiredService<RecordingWakeOnLan>();
        bool Woken(string mac) => wol.Woken.Any(m => string.Equals(m.Value, mac, StringComparison.OrdinalIgnoreCase));

        var created = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "09:00", days = "every", action = "wake", waveSize = 2, waveSeconds = 2 });
        var schedule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var run = await (await admin.PostAsync(new Uri($"/api/v1/schedules/{schedule.GetProperty("id").GetInt32()}/run", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var answeredAt = DateTime.UtcNow;
        var details = run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("detail").GetString()!).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!macs.All(Woken) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        // When each of the hall's PCs was woken, by the wake itself: how fast this test reads makes no difference.
        var wakes = wol.Woken.Zip(wol.WokenAt).Where(w => macs.Contains(w.First.Value, StringComparer.OrdinalIgnoreCase)).Select(w => w.Second).ToList();
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=schedule&action=schedule.wave&pageSize=50");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, schedule.GetProperty("waveSize").GetInt32());
        Assert.Equal(2, details.Count(d => d.EndsWith("wave 1 of 2, woken now", StringComparison.Ordinal)));
        Assert.Equal(["wave 2 of 2, woken 2 s after wave 1"], details.Where(d => d.StartsWith("wave 2", StringComparison.Ordinal)));
        Assert.Equal(3, wakes.Count);
        Assert.Equal(2, wakes.Count(at => at <= answeredAt));
        // Wave 2 is a job due 2 s after wave 1; the job store keeps due times to the whole second.
        Assert.True(wakes[2] - wakes[0] >= TimeSpan.FromSeconds(1), $"wave 2 came {(wakes[2] - wakes[0]).TotalSeconds:0.00} s after wave 1");
        Assert.All(macs, mac => Assert.True(Woken(mac), $"{mac} was never woken"));
        Assert.Equal(["wave=1/2 woken=2 refused=0", "wave=2/2 woken=1 refused=0"],
            audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("entityId").GetString() == schedule.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Select(e => e.GetProperty("after").GetString()).Reverse());
    }

    [Fact]
    public async Task BadWaves_AndADataImage_AreRefused_AndAScheduledImageStaysASystemImage()
    {
        using var admin = await app.CreateAdminClientAsync();
        var groupId = (await (await admin.PostAsJsonAsync("/api/v1/groups", new { name = TestNames.Unique("hall-x") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var zero = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "09:00", days = "every", action = "wake", waveSize = 0 });
        var secondsAlone = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "09:00", days = "every", action = "wake", waveSeconds = 30 });
        var stopInWaves = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "22:00", days = "every", action = "stopSessions", waveSize = 5 });
        var games = await app.AddImageAsync(TestNames.Unique("games"));
        (await admin.PutAsJsonAsync($"/api/v1/images/{games}/kind", new { kind = "data" })).EnsureSuccessStatusCode();
        var bootData = await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "09:00", days = "every", action = "startAndWake", imageId = games });
        var booted = await app.AddImageAsync(TestNames.Unique("win11"));
        (await admin.PostAsJsonAsync("/api/v1/schedules", new { groupId, at = "09:00", days = "every", action = "startAndWake", imageId = booted })).EnsureSuccessStatusCode();
        var scheduledMadeData = await admin.PutAsJsonAsync($"/api/v1/images/{booted}/kind", new { kind = "data" });

        Assert.Contains("1 to 1000 PCs", await zero.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("go with a wave size", await secondsAlone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Only a schedule that wakes PCs", await stopInWaves.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("is a data image: PCs don't boot it", await bootData.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All([zero, secondsAlone, stopInWaves, bootData], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(HttpStatusCode.Conflict, scheduledMadeData.StatusCode);
        Assert.Contains("starts sessions on image", await scheduledMadeData.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private RecurringJobDto? RecurringJob(string id)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == id);
    }
}
