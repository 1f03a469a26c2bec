using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Webhooks;

/// <summary>Events reach receivers on 127.0.0.1 signed, once each, only where subscribed, and retried with back-off until a 2xx.</summary>
[Collection(WebAppTests.Name)]
public sealed class WebhookDeliveryTests(WebhookAppFactory app) : IClassFixture<WebhookAppFactory>
{
    // Long enough for a duplicate (or a wrongly routed event) to arrive: jobs start within about a second.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task SessionStart_SendsOneSessionReady_SignedWithTheEndpointsSecret()
    {
        using var admin = await app.CreateAdminClientAsync();
        await using var receiver = WebhookReceiver.Start();
        var (webhookId, secret) = await admin.AddWebhookAsync(receiver.Url, ["session.ready", "session.failed"]);
        var imageName = TestNames.Unique("img");
        var imageId = await app.AddImageAsync(imageName);
        var (machineId, mac, machineName) = await admin.AddMachineAsync();

        var sessionId = await StartAsync(admin, machineId, imageId);
        await admin.WaitForSessionStateAsync(sessionId, "ready");
        await receiver.WaitForAsync(got => got.Any(r => r.SessionId == sessionId));
        await Task.Delay(Settle);
        var ready = Assert.Single(receiver.Received, r => r.SessionId == sessionId);
        var timestamp = long.Parse(ready.Headers["X-GGnet-Timestamp"], CultureInfo.InvariantCulture);
        var body = ready.Json;
        var data = body.GetProperty("data");

        Assert.Equal("POST", ready.Method);
        Assert.StartsWith("application/json", ready.ContentType, StringComparison.Ordinal);
        Assert.Equal("sha256=" + HmacHex(secret, $"{timestamp}.{ready.Body}"), ready.Headers["X-GGnet-Signature"]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, 0, 60);
        Assert.Equal("session.ready", ready.Event);
        Assert.True(Guid.TryParse(ready.Headers["X-GGnet-Delivery"], out _));
        Assert.Equal("session.ready", body.GetProperty("type").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));
        Assert.True(body.GetProperty("occurredAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal(machineId, data.GetProperty("machineId").GetInt32());
        Assert.Equal(machineName, data.GetProperty("machineName").GetString());
        Assert.Equal(mac, data.GetProperty("macAddress").GetString());
        Assert.Equal($"{imageName} v1", data.GetProperty("image").GetString());
        Assert.Equal("ready", data.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("failureReason").ValueKind);
        var log = Assert.Single(await admin.DeliveriesAsync(webhookId), a => a.GetProperty("deliveryId").GetString() == ready.Headers["X-GGnet-Delivery"]);
        Assert.Equal(200, log.GetProperty("statusCode").GetInt32());
        Assert.True(log.GetProperty("succeeded").GetBoolean());

        await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{webhookId}", UriKind.Relative));
    }

    [Fact]
    public async Task FailedStart_SendsOneSessionFailed_WithTheReason()
    {
        using var admin = await app.CreateAdminClientAsync();
        await using var receiver = WebhookReceiver.Start();
        var (webhookId, _) = await admin.AddWebhookAsync(receiver.Url, ["all"]);
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var (machineId, _, _) = await admin.AddMachineAsync();
        app.Iscsi.FailCreate = true;
        try
        {
            var sessionId = await StartAsync(admin, machineId, imageId);
            var session = await admin.WaitForSessionStateAsync(sessionId, "failed");
            await receiver.WaitForAsync(got => got.Any(r => r.SessionId == sessionId));
            await Task.Delay(Settle);
            var events = receiver.Received.Where(r => r.SessionId == sessionId).ToList();

            var failed = Assert.Single(events);
            Assert.Equal("session.failed", failed.Event);
            Assert.Equal("failed", failed.Json.GetProperty("data").GetProperty("state").GetString());
            Assert.Equal(session.GetProperty("failureReason").GetString(), failed.Json.GetProperty("data").GetProperty("failureReason").GetString());
        }
        finally
        {
            app.Iscsi.FailCreate = false;
            await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{webhookId}", UriKind.Relative));
        }
    }

    [Fact]
    public async Task EventFilter_AnEndpointGetsOnlyTheEventsItChose_AndADisabledOneNothing()
    {
        using var admin = await app.CreateAdminClientAsync();
        await using var created = WebhookReceiver.Start();
        await using var deleted = WebhookReceiver.Start();
        await using var disabled = WebhookReceiver.Start();
        var hooks = new[]
        {
            (await admin.AddWebhookAsync(created.Url, ["machine.created"])).Id,
            (await admin.AddWebhookAsync(deleted.Url, ["machine.deleted"])).Id,
            (await admin.AddWebhookAsync(disabled.Url, ["all"], enabled: false)).Id,
        };

        var (machineId, _, _) = await admin.AddMachineAsync();
        await created.WaitForAsync(got => got.Any(r => r.MachineId == machineId));
        await Task.Delay(Settle);
        var afterCreate = (Created: created.Received.Count(r => r.MachineId == machineId), Deleted: deleted.Received.Count);
        (await admin.DeleteAsync(new Uri($"/api/v1/machines/{machineId}", UriKind.Relative))).EnsureSuccessStatusCode();
        await deleted.WaitForAsync(got => got.Any(r => r.MachineId == machineId));
        await Task.Delay(Settle);

        Assert.Equal(1, afterCreate.Created);
        Assert.Equal(0, afterCreate.Deleted);
        Assert.All(created.Received, r => Assert.Equal("machine.created", r.Event));
        Assert.Equal("machine.deleted", Assert.Single(deleted.Received).Event);
        Assert.Empty(disabled.Received);
        Assert.Empty(await admin.DeliveriesAsync(hooks[2]));

        foreach (var id in hooks)
        {
            await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative));
        }
    }

    [Fact]
    public async Task FailingReceiver_IsRetriedWithGrowingPauses_UntilA2xx_AndTheLogShowsEachAttempt()
    {
        using var admin = await app.CreateAdminClientAsync();
        await using var receiver = WebhookReceiver.Start();
        receiver.AnswerNext(500, 500);
        var (webhookId, _) = await admin.AddWebhookAsync(receiver.Url, ["machine.created"]);

        var (machineId, _, _) = await admin.AddMachineAsync();
        var requests = await receiver.WaitForAsync(got => got.Count >= 3);
        await Task.Delay(Settle);
        var log = await admin.DeliveriesAsync(webhookId);

        Assert.Equal([500, 500, 200], receiver.Received.Select(r => r.AnsweredWith));
        Assert.All(receiver.Received, r => Assert.Equal(machineId, r.MachineId));
        Assert.Single(receiver.Received.Select(r => r.Headers["X-GGnet-Delivery"]).Distinct());
        Assert.Single(receiver.Received.Select(r => r.Body).Distinct());
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(WebhookAppFactory.FirstRetrySeconds) - WebhookAppFactory.ScheduleResolution, $"first pause {requests[1].At - requests[0].At}");
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromSeconds(WebhookAppFactory.SecondRetrySeconds) - WebhookAppFactory.ScheduleResolution, $"second pause {requests[2].At - requests[1].At}");
        Assert.Equal([3, 2, 1], log.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal([200, 500, 500], log.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal([true, false, false], log.Select(a => a.GetProperty("succeeded").GetBoolean()));
        Assert.All(log, a => Assert.Equal("machine.created", a.GetProperty("event").GetString()));

        await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{webhookId}", UriKind.Relative));
    }

    [Fact]
    public async Task ReceiverThatNeverSucceeds_GetsOneAttemptPlusOnePerRetryDelay_ThenNoMore()
    {
        using var admin = await app.CreateAdminClientAsync();
        await using var receiver = WebhookReceiver.Start();
        receiver.AlwaysAnswer = 503;
        var (webhookId, _) = await admin.AddWebhookAsync(receiver.Url, ["machine.created"]);

        await admin.AddMachineAsync();
        await receiver.WaitForAsync(got => got.Count >= 3);
        await Task.Delay(TimeSpan.FromSeconds(WebhookAppFactory.SecondRetrySeconds * 2) + Settle);
        var log = await admin.DeliveriesAsync(webhookId);

        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal([3, 2, 1], log.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(log, a => Assert.Equal(503, a.GetProperty("statusCode").GetInt32()));

        await admin.DeleteAsync(new Uri($"/api/v1/webhooks/{webhookId}", UriKind.Relative));
    }

    private static async Task<int> StartAsync(HttpClient admin, int machineId, int imageId)
    {
        var start = await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type = "normal" });
        start.EnsureSuccessStatusCode();
        return (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    // Computed here from the documented scheme, not with GGnet's own code: this is what a receiver does.
    private static string HmacHex(string secret, string signed) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)));
}
