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

    /// <summary>The image's version whose field <paramref name="field"/> (id or number) is <paramref name="value"/>.</summary>
    public static JsonElement VersionBy(this JsonElement image, string field, int value) =>
        image.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty(field).GetInt32() == value);

    /// <summary>The version (by its id or number) once its test boot has ended, passed or failed.</summary>
    public static async Task<JsonElement> WaitForTestBootEndAsync(this HttpClient client, int imageId, string field, int value, TimeSpan timeout) =>
        (await client.WaitForAsync($"/api/v1/images/{imageId}",
            i => i.VersionBy(field, value).GetProperty("test").GetProperty("state").GetString() is "passed" or "failed", timeout)).VersionBy(field, value);
}
