using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Core.Domain;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Api;

public sealed class FreshInstallAppFactory : BootAppFactory
{
    protected override bool WithNetwork => false;
}

[Collection(WebAppTests.Name)]
public sealed class NetworkSettingsApiTests(FreshInstallAppFactory app) : IClassFixture<FreshInstallAppFactory>
{
    private static object Network(string rangeStart = "10.99.0.100") => new
    {
        serverAddress = "10.99.0.1", @interface = "br0", subnet = "10.99.0.0", netmask = "255.255.255.0",
        gateway = "10.99.0.254", dnsServers = new[] { "10.99.0.1" }, rangeStart, rangeEnd = "10.99.0.150",
        bootBaseUrl = "http://10.99.0.1:5000", dhcpMode = "isc", waitPollSeconds = 10,
    };

    [Fact]
    public async Task FreshInstall_BootIsUnavailableUntilTheNetworkIsSaved_ThenDhcpAndTftpFollow()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var pc = app.CreateAnonymousClient();
        var before = await pc.GetAsync(new Uri("/boot/boot.ipxe", UriKind.Relative));
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/network");

        var put = await admin.PutAsJsonAsync("/api/v1/settings/network", Network());
        var after = await pc.GetAsync(new Uri("/boot/boot.ipxe", UriKind.Relative));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(app.DhcpdConfigPath) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityType=settings");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.False(status.GetProperty("configured").GetBoolean());
        Assert.Contains("not set up yet", status.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("subnet 10.99.0.0 netmask 255.255.255.0", await File.ReadAllTextAsync(app.DhcpdConfigPath), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "network.json")));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "settings.network-changed");
    }

    [Fact]
    public async Task Inconsistent_IsRefusedWithSentences_AndNothingChanges()
    {
        using var admin = await app.CreateAdminClientAsync();
        var before = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/network");

        var put = await admin.PutAsJsonAsync("/api/v1/settings/network", Network(rangeStart: "10.99.0.1"));
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        var after = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/network");

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("lies inside the dynamic range", problem.GetProperty("errors").GetProperty("network")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before.GetProperty("settings").GetRawText(), after.GetProperty("settings").GetRawText());
    }

    [Fact]
    public async Task RangeOverAMachinesFixedAddress_IsRefusedNamingTheMachine()
    {
        using var admin = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("fixed");
        (await admin.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = TestMacs.Next(), ipAddress = "10.99.0.90" })).EnsureSuccessStatusCode();

        var put = await admin.PutAsJsonAsync("/api/v1/settings/network", Network(rangeStart: "10.99.0.80"));
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains($"Machine '{name.ToLowerInvariant()}'", problem.GetProperty("errors").GetProperty("network")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_CannotChangeTheNetwork()
    {
        using var operatorClient = await app.CreateClientWithRoleAsync(Roles.Operator);

        var put = await operatorClient.PutAsJsonAsync("/api/v1/settings/network", Network());

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
    }
}
