using System.Net.Http.Json;
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
            value = await client.GetFromJsonAsync<JsonElement>(path);
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
