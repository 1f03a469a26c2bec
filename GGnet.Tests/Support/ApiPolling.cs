using System.Text.Json;

namespace GGnet.Tests.Support;

/// <summary>Waits, bounded, for something the app does in the background to show through its API.</summary>
public static class ApiPolling
{
    public static async Task<JsonElement> WaitForAsync(this HttpClient client, string path, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonElement value;
        do
        {
            // A 503 (health with a part down) still carries the JSON to look at.
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable)
            {
                response.EnsureSuccessStatusCode();
            }
            value = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (done(value))
            {
                return value;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{path} never reached the expected state; last: {value}");
    }

    public static Task<JsonElement> WaitForSessionStateAsync(this HttpClient client, int sessionId, string state, TimeSpan? timeout = null) =>
        client.WaitForAsync($"/api/v1/sessions/{sessionId}", s => s.GetProperty("state").GetString() == state, timeout);
}
