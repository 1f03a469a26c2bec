using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// A corpus of hostile input sent to the REST API: each value is refused with a sentence naming its field, or kept as
/// plain text — and the dhcpd configuration GGnet writes still passes the real <c>dhcpd -t</c>, the PC's iPXE script keeps
/// its shape, and the boot endpoints answer 4xx, never a stack trace.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class HostileInputTests(BootAppFactory app) : IClassFixture<BootAppFactory>
{
    /// <summary>Quotes, braces, separators, expansions, paths, look-alikes, control characters and sheer size.</summary>
    public static TheoryData<string> HostileText =>
    [
        "\"", "'", "\"; option routers 10.0.0.66; \"", "}", "{", "} host evil { hardware ethernet 52:54:00:66:66:66; }",
        ";", "; reboot", "a;b", "\n", "pc-01\noption domain-name-servers 6.6.6.6;", "\r\n", "line\rbreak", "tab\there",
        "nul\0byte", "${}", "${ip}", "${net0/mac}", "$(reboot)", "`reboot`", "&& reboot", "|| shell", "|", "#!ipxe",
        "../", "../../etc/passwd", "/etc/shadow", "..\\..\\windows", "%2e%2e%2f", "%00", "<script>alert(1)</script>",
        "' OR '1'='1", "'; DROP TABLE Machines; --", "=cmd|' /C calc'!A0", "+SUM(1)", "@import", "-2+3",
        "раc-01", "ｐｃ－０１", "pc\u200B01", "pc\u202Ertl", "\uFEFFbom", "😀", "échec", "\\", "\\\"",
        new string('a', 10 * 1024), new string('\n', 100), "*", "?", "[abc]", "pc 01", "",
    ];

    public static TheoryData<string> HostileMacs =>
    [
        "", " ", "52:54:00:00:00", "52:54:00:00:00:00:00", "52:54:00:00:00:0g", "52-54-00-00-00", "5254.0000.00", "zz:zz:zz:zz:zz:zz",
        "52:54:00:00:00:00; reboot", "52:54:00:00:00:00\nreboot", "52:54:00:00:00:0", "525400000000000", "52::54:00:00:00:00", "52:54:00:00:00:-1",
        "ｆｆ:ff:ff:ff:ff:ff", "52:54:00:00:00:00\0", "${mac}", "../52:54:00:00:00:00", "52 54 00 00 00 00 00", ":::::", "52:54:00:00:00:100",
        "0x525400000000", "5254000000zz", new string('5', 1000), "52:54:00:00:00:00/24",
    ];

    public static TheoryData<string> HostileAddresses =>
    [
        "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4;", "1.2.3.4\noption routers 6.6.6.6",
        "1.2.3.4/24", "::1", "fe80::1", "localhost", "0x7f.0.0.1", "127.1", "1..2.3", "1.2.3.4;", "${ip}", "١.٢.٣.٤", "1.2.3.4\0",
        new string('1', 500),
    ];

    public static TheoryData<string> HostileIqns =>
    [
        "iqn", "iqn.", "iqn.2024-13.net.ggnet:pc", "iqn.24-01.net.ggnet:pc", "iqn.2024-01.net.ggnet:pc one", "iqn.2024-01.net.ggnet:pc\nreboot",
        "iqn.2024-01.net.ggnet:pc;reboot", "iqn.2024-01.net.ggnet:${x}", "eui.xyz", "naa.zz", "IQN.2024-01.NET:x\"", "iqn.2024-01.net.ggnet:" + new string('x', 300),
        "iqn.2024-01.net.ggnet:pc`id`", "iqn.2024-01.net.ggnet:../x", "iqn.2024-01.ｎｅｔ:pc",
    ];

    public static TheoryData<string> HostileBootPaths =>
    [
        "../appsettings.json", "..%2fappsettings.json", "%2e%2e/ggnet.db", "52:54:00:00:00:00.ipxe%0a.txt", "52:54:00:00:00:00;reboot.ipxe",
        "${mac}.ipxe", "zz:zz:zz:zz:zz:zz.ipxe", "52-54-00-00-00.ipxe", "boot.ipxe/../../etc/passwd", ".ipxe", "%01.ipxe",
        new string('a', 3000) + ".ipxe", "52:54:00:00:00:00.IPXE", "<script>.ipxe", "..\\..\\ggnet.db",
    ];

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task AHostileMachineName_IsRefused_NamingTheNameField(string text)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name = text, macAddress = TestMacs.Next() });

        await AssertRefusedAsync(response, "name");
    }

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task AHostileDescription_IsRefusedOrKeptAsPlainText_AndDhcpAndTheScriptKeepTheirShape(string text)
    {
        using var admin = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("h");

        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = TestMacs.Next(), ipAddress = (string?)null, description = text });

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            await AssertRefusedAsync(response, "description");
            return;
        }
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{id}");
        var script = await admin.GetStringAsync(new Uri($"/api/v1/sessions/machine/{id}/boot-script", UriKind.Relative));
        await WrittenDhcpdConfigAsync(name.ToLowerInvariant());
        (await admin.PutAsJsonAsync($"/api/v1/machines/{id}", new { name, macAddress = stored.GetProperty("macAddress").GetString(), description = (string?)null })).EnsureSuccessStatusCode();
        var scriptWithout = await admin.GetStringAsync(new Uri($"/api/v1/sessions/machine/{id}/boot-script", UriKind.Relative));

        Assert.Equal(string.IsNullOrWhiteSpace(text) ? null : text.Trim(), stored.GetProperty("description").GetString());
        Assert.StartsWith("#!ipxe\n", script, StringComparison.Ordinal);
        Assert.Equal(scriptWithout, script);
        var check = await Cli.Wrap("/usr/sbin/dhcpd").WithArguments(["-t", "-q", "-cf", app.DhcpdConfigPath]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(check.ExitCode == 0, $"dhcpd -t refused the configuration: {check.StandardError}");
    }

    [Theory]
    [MemberData(nameof(HostileMacs))]
    public async Task AMalformedMac_IsRefused_NamingTheMacField(string mac)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("m"), macAddress = mac });

        await AssertRefusedAsync(response, "macAddress");
    }

    [Theory]
    [InlineData("52:54:00:00:00:00\n", "iqn.2024-01.net.ggnet:pc\n")]
    [InlineData(" 52-54-00-00-00-00\t", "\r\niqn.2024-01.net.ggnet:pc ")]
    public async Task WhitespaceAroundAMacOrIqn_IsTrimmed_AndOnlyTheCanonicalValueIsStored(string mac, string iqn)
    {
        using var admin = await app.CreateAdminClientAsync();
        var unique = TestMacs.Next();
        mac = mac.Replace("52:54:00:00:00:00", unique, StringComparison.Ordinal).Replace("52-54-00-00-00-00", unique.Replace(':', '-'), StringComparison.Ordinal);

        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("w"), macAddress = mac, initiatorIqn = iqn });
        var stored = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(unique, stored.GetProperty("macAddress").GetString());
        Assert.Equal("iqn.2024-01.net.ggnet:pc", stored.GetProperty("initiatorIqn").GetString());
    }

    [Theory]
    [MemberData(nameof(HostileAddresses))]
    public async Task AMalformedAddress_IsRefused_NamingTheAddressField(string address)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("a"), macAddress = TestMacs.Next(), ipAddress = address });

        await AssertRefusedAsync(response, "ipAddress");
    }

    [Theory]
    [MemberData(nameof(HostileIqns))]
    public async Task AMalformedIqn_IsRefused_NamingTheIqnField(string iqn)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/machines", new { name = TestNames.Unique("q"), macAddress = TestMacs.Next(), initiatorIqn = iqn });

        await AssertRefusedAsync(response, "initiatorIqn");
    }

    [Theory]
    [MemberData(nameof(HostileBootPaths))]
    public async Task AHostileBootPath_IsAnsweredWithoutAScriptOrAnyInternals(string path)
    {
        using var pc = app.CreateAnonymousClient();

        var response = await pc.GetAsync(new Uri("/boot/" + path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        // A path that leaves /boot/ (.. is resolved before routing) is no boot request: it meets the login like any page.
        var toLogin = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/login", StringComparison.OrdinalIgnoreCase) == true;
        Assert.True(toLogin || (int)response.StatusCode is >= 400 and < 500, $"answered {(int)response.StatusCode} {response.Headers.Location}");
        Assert.DoesNotContain("#!ipxe", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectionString", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvWithSpreadsheetFormulas_IsImportedAsText_AndExportedDefused()
    {
        using var admin = await app.CreateAdminClientAsync();
        var name = TestNames.Unique("csv").ToLowerInvariant();
        var csv = $"name,mac,description\n{name},{TestMacs.Next()},\"=cmd|' /C calc'!A0\"\n";

        var imported = await admin.PostAsync(new Uri("/api/v1/machines/import", UriKind.Relative), new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        var exported = await admin.GetStringAsync(new Uri("/api/v1/machines/export.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var line = Assert.Single(exported.Split("\r\n"), l => l.StartsWith(name + ",", StringComparison.Ordinal));
        Assert.Contains(",'=cmd|' /C calc'!A0,", line, StringComparison.Ordinal);
    }

    // 400 with a problem-details body whose errors name the field, each with a sentence.
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var sentences), $"the refusal does not name '{field}': {body}");
        Assert.All(sentences.EnumerateArray(), s => Assert.EndsWith(".", s.GetString()!.TrimEnd(')'), StringComparison.Ordinal));
    }

    // GGnet rewrites dhcpd.conf shortly after a machine is added: wait until it holds the new machine.
    private async Task WrittenDhcpdConfigAsync(string machineName)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(app.DhcpdConfigPath) && (await File.ReadAllTextAsync(app.DhcpdConfigPath)).Contains($"\"{machineName}\"", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"dhcpd.conf never listed {machineName}.");
    }
}
