using System.Net.Http.Json;
using System.Text.Json;

namespace GGnet.Tests.Support.Lab;

/// <summary>What lab tests do to a virtual PC's sessions through the API.</summary>
public static class LabSessions
{
    /// <summary>Starts the session, waits until it is ready and (re)starts the PC, so it boots into it.</summary>
    public static async Task<int> StartAndPowerOnAsync(HttpClient api, int machineId, int imageId, string type, string? installFrom = null, int? bootWith = null)
    {
        var start = await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type, installFrom, bootWith });
        Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.WaitForSessionStateAsync(id, "ready");
        await api.PostAsync(new Uri($"/api/v1/machines/{machineId}/power-off", UriKind.Relative), null);
        (await api.PostAsync(new Uri($"/api/v1/machines/{machineId}/power-on", UriKind.Relative), null)).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>Stops the PC's active session and waits until it is stopped.</summary>
    public static async Task StopActiveAsync(HttpClient api, int machineId)
    {
        var session = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/machine/{machineId}/active")).GetProperty("id").GetInt32();
        (await api.PostAsync(new Uri($"/api/v1/sessions/{session}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await api.WaitForSessionStateAsync(session, "stopped");
    }
}
