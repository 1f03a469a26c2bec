using System.Net.Http.Json;
using System.Text.Json;

namespace GGnet.Tests.Support;

/// <summary>The session app (real private tgtd) with webhook retries after 2 s and then 3 s, so back-off shows within seconds.</summary>
public sealed class WebhookAppFactory : SessionAppFactory
{
    public const int FirstRetrySeconds = 2;
    public const int SecondRetrySeconds = 3;

    /// <summary>The job store keeps a scheduled job's time in whole seconds: a retry may start up to a second early.</summary>
    public static readonly TimeSpan ScheduleResolution = TimeSpan.FromSeconds(1);

    protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Concat(
    [
        ("Webhooks:RetryDelaysSeconds:0", FirstRetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Webhooks:RetryDelaysSeconds:1", SecondRetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Webhooks:TimeoutSeconds", "5"),
    ]);
}

/// <summary>Webhook endpoints through the API, as the tests set them up.</summary>
public static class WebhookApi
{
    public static async Task<(int Id, string Secret)> AddWebhookAsync(this HttpClient admin, string url, string[] events, bool enabled = true)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events, enabled });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetInt32(), created.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement[]> DeliveriesAsync(this HttpClient admin, int webhookId) =>
        [.. (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{webhookId}/deliveries")).EnumerateArray()];

    public static async Task<(int Id, string Mac, string Name)> AddMachineAsync(this HttpClient admin)
    {
        var mac = TestMacs.Next();
        var name = TestNames.Unique("w");
        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = mac });
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32(), mac, name);
    }
}
