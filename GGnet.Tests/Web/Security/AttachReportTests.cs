using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// A PC whose disk could not be attached says so when it asks for its script again (<c>?attach-error=</c>). Only the
/// PC itself may: a customer sending that for another PC's MAC address would turn its tile red and its stage wrong.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class AttachReportTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task AnAttachError_FromAnotherAddress_IsNotRecorded_FromThePcsOwnAddress_ItIs()
    {
        using var admin = await app.CreateAdminClientAsync();
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var mac = TestMacs.Next();
        var created = await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("seat"), macAddress = mac, ipAddress = "10.99.0.17" });
        var machineId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var sessionId = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await admin.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(30));
        var path = $"/boot/{mac.Replace(':', '-')}.ipxe";

        await RequestAsync(path + "?attach-error=0x410d613c", from: "10.99.0.66");
        // The fetch from elsewhere is saved a moment later: wait until it shows, then check that no failure came with it.
        var afterStranger = await admin.WaitForAsync($"/api/v1/machines/{machineId}", m => m.GetProperty("bootStage").GetString() == "scriptFetched", TimeSpan.FromSeconds(10));
        await RequestAsync(path + "?attach-error=0x410d613c", from: "10.99.0.17");
        var afterThePc = await admin.WaitForAsync($"/api/v1/machines/{machineId}", m => m.GetProperty("bootStage").GetString() == "attachFailed", TimeSpan.FromSeconds(10));

        Assert.Equal("scriptFetched", afterStranger.GetProperty("bootStage").GetString());
        Assert.Equal("attachFailed", afterThePc.GetProperty("bootStage").GetString());
    }

    private async Task RequestAsync(string pathAndQuery, string from)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = pathAndQuery[..question];
            c.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(pathAndQuery[question..]);
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });
        Assert.Equal(200, context.Response.StatusCode);
    }
}
