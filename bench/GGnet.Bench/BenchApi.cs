using System.Globalization;
using System.Net.Http.Json;
using System.Text;
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

    /// <summary>Imports the file from GGnet's import folder as an image and waits until its first version is ready; its id.</summary>
    public static async Task<int> ImportImageAsync(HttpClient api, string name, string file)
    {
        var imported = await api.PostAsJsonAsync("/api/v1/images/import", new { name, file });
        imported.EnsureSuccessStatusCode();
        var imageId = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await WaitAsync(api, $"/api/v1/images/{imageId}", i => i.GetProperty("versions")[0].GetProperty("status").GetString() == "ready", TimeSpan.FromMinutes(2));
        return imageId;
    }

    /// <summary>Registers machines <c>{prefix}-0001</c>… with MACs <c>52:54:00:{macByte}:xx:xx</c> by one CSV import; their ids in order.</summary>
    public static async Task<List<int>> ImportMachinesAsync(HttpClient api, string prefix, int count, int macByte)
    {
        var csv = new StringBuilder("name,mac\n");
        for (var i = 1; i <= count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{prefix}-{i:0000},{Mac(macByte, i)}\n");
        }
        (await api.PostAsync(new Uri("/api/v1/machines/import", UriKind.Relative), new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        return await MachineIdsAsync(api, prefix, count);
    }

    /// <summary>The ids of the first <paramref name="count"/> machines whose names start with <c>{prefix}-</c>, by name.</summary>
    public static async Task<List<int>> MachineIdsAsync(HttpClient api, string prefix, int count)
    {
        var ids = new List<int>();
        for (var page = 1; ids.Count < count; page++)
        {
            var items = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/machines?pageSize=100&page={page}&search={prefix}-&sortBy=name")).GetProperty("items");
            if (items.GetArrayLength() == 0)
            {
                break;
            }
            ids.AddRange(items.EnumerateArray().Select(m => m.GetProperty("id").GetInt32()));
        }
        return ids.Take(count).ToList();
    }

    /// <summary>The MAC address <see cref="ImportMachinesAsync"/> gives machine number <paramref name="i"/>.</summary>
    public static string Mac(int macByte, int i) => string.Create(CultureInfo.InvariantCulture, $"52:54:00:{macByte:x2}:{i >> 8:x2}:{i & 0xff:x2}");

    /// <summary>One API call that starts a session on the image for each machine; the started sessions' ids.</summary>
    public static async Task<List<int>> StartManyAsync(HttpClient api, IEnumerable<int> machineIds, int imageId)
    {
        var started = await api.PostAsJsonAsync("/api/v1/sessions/start-many", new { machineIds, imageId });
        started.EnsureSuccessStatusCode();
        var results = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
        var refused = results.EnumerateArray().Where(r => !r.GetProperty("done").GetBoolean()).Select(r => r.GetProperty("detail").GetString()).ToList();
        if (refused.Count > 0)
        {
            throw new InvalidOperationException($"{refused.Count} session starts were refused, e.g. {refused[0]}");
        }
        return results.EnumerateArray().Select(r => r.GetProperty("sessionId").GetInt32()).ToList();
    }

    /// <summary>How many sessions are in the state now.</summary>
    public static async Task<int> CountSessionsAsync(HttpClient api, string state) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions?state={state}&pageSize=1")).GetProperty("totalCount").GetInt32();

    /// <summary>Polls until <paramref name="count"/> sessions are in the state; throws when they are not within the time.</summary>
    public static async Task WaitForSessionsAsync(HttpClient api, string state, int count, TimeSpan timeout, int pollMs = 20)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await CountSessionsAsync(api, state) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Fewer than {count} sessions were {state} after {timeout.TotalSeconds:0} s ({await CountSessionsAsync(api, state)}; failed: {await CountSessionsAsync(api, "failed")}).");
            }
            await Task.Delay(pollMs);
        }
    }
}
