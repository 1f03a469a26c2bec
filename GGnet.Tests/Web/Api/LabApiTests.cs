using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Core.Domain;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Api;

/// <summary>The lab API in production mode (the test app has no lab): who may call what, and the sentences it answers.</summary>
[Collection(WebAppTests.Name)]
public sealed class LabApiTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Theory]
    [InlineData("/api/v1/lab/virtual-pcs")]
    [InlineData("/api/v1/lab/boot")]
    [InlineData("/api/v1/machines/1/power-on")]
    [InlineData("/api/v1/machines/1/power-off")]
    public async Task Viewer_CantChangeTheLab(string path)
    {
        using var viewer = await app.CreateClientWithRoleAsync(Roles.Viewer);

        var response = await viewer.PostAsJsonAsync(path, new { count = 3 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Operator_CantChooseTheMode_OnlyAnAdminCan()
    {
        using var operatorClient = await app.CreateClientWithRoleAsync(Roles.Operator);

        using var admin = await app.CreateAdminClientAsync();

        var response = await operatorClient.PutAsJsonAsync("/api/v1/settings/mode", new { lab = false });
        var asAdmin = await admin.PutAsJsonAsync("/api/v1/settings/mode", new { lab = false });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Contains("production mode", (await asAdmin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InProductionMode_TheLabSaysSo_AndVirtualPcsAreRefusedWithASentence()
    {
        using var admin = await app.CreateAdminClientAsync();

        var lab = await admin.GetFromJsonAsync<JsonElement>("/api/v1/lab");
        var add = await admin.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null);

        Assert.False(lab.GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, add.StatusCode);
        Assert.Equal("Virtual PCs live in lab mode only; GGnet runs in production mode.", (await add.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PowerOn_ARealPc_IsRefusedWithASentence()
    {
        using var admin = await app.CreateAdminClientAsync();
        var machine = await (await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("real"), macAddress = TestMacs.Next() })).Content.ReadFromJsonAsync<JsonElement>();

        var response = await admin.PostAsync(new Uri($"/api/v1/machines/{machine.GetProperty("id").GetInt32()}/power-on", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("is a real PC", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
