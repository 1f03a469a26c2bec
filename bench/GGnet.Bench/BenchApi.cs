using System.Net.Http.Json;
using System.Text.Json;

namespace GGnet.Bench;

/// <summary>What the scenarios ask GGnet's API while they set up and measure.</summary>
public static class BenchApi
{
    /// <summary>Polls a resource until it is in the wanted state; throws when it is not within the time.</summary>
    public static async Task WaitAsync(HttpClient api, string path, Func<JsonElement, bool> done, TimeSpan timeout, int pollMs = 200)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (done(await api.GetFromJsonAsync<JsonElement>(path)))
            {
                return;
            }
            await Task.Delay(pollMs);
        }
        throw new TimeoutException($"{path} did not get there within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Waits until the lab's network and daemons are up.</summary>
    public static Task WaitForLabAsync(HttpClient api) =>
        WaitAsync(api, "/api/v1/lab", l => l.GetProperty("running").GetBoolean(), TimeSpan.FromSeconds(90));
}
