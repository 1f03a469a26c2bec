using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Sessions;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// CHAP against the real tgtd, checked with libiscsi: new secrets for every session, stored encrypted, shown to
/// admins only (audited), given to the target and only to the PC's own script request, which also narrows the
/// target to the PC's address; kept across a tgtd restart. The PCs here have a DHCP lease (libiscsi logs in from
/// 127.0.0.1, which the target admits until the PC has fetched its script from its own address).
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class ChapTests(SessionAppFactory app) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task MutualChap_TheTargetOpensOnlyWithTheMachinesSecrets_WhichAreStoredEncrypted_AndShownAudited()
    {
        using var admin = await app.CreateAdminClientAsync();
        var pc = await StartChapSessionAsync(admin, "mutual");

        var secrets = await RevealAsync(admin, pc.MachineId);
        var withSecrets = await InquiryAsync(pc, $"{secrets.User}%{secrets.Secret}@", $"?target_user={secrets.MutualUser}&target_password={secrets.MutualSecret}");
        var without = await InquiryAsync(pc, "", "");
        var stored = await StoredSecretAsync(pc.MachineId);
        var audit = await admin.GetStringAsync(new Uri("/api/v1/audit?pageSize=100", UriKind.Relative));

        Assert.Equal(pc.Name, secrets.User);
        Assert.Equal(pc.Name + "-target", secrets.MutualUser);
        Assert.Equal(16, secrets.Secret.Length);
        Assert.NotEqual(secrets.Secret, secrets.MutualSecret);
        Assert.True(withSecrets.ExitCode == 0, withSecrets.StandardError);
        Assert.NotEqual(0, without.ExitCode);
        Assert.DoesNotContain(secrets.Secret, stored, StringComparison.Ordinal);
        // The data protection keys are files in the data directory: a restarted GGnet reads the same secret back.
        var keys = Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(app.DataDirectory, "keys")), b => b.SetApplicationName("GGnet"));
        Assert.Equal(secrets.Secret, keys.CreateProtector("GGnet.ChapSecrets.v1").Unprotect(stored));
        Assert.Contains("machine.chap-secrets-shown", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets.Secret, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_CarriesTheSecrets_OnlyToThePcsOwnAddress_AndNeverInItsTftpFile()
    {
        using var admin = await app.CreateAdminClientAsync();
        var pc = await StartChapSessionAsync(admin, "oneWay");
        var secrets = await RevealAsync(admin, pc.MachineId);

        var beforeTheScript = await InquiryAsync(pc, $"{secrets.User}%{secrets.Secret}@", "");
        var fromThePc = await ScriptAsync(pc.Mac, pc.Address);
        var fromElsewhere = await ScriptAsync(pc.Mac, "10.99.0.99");
        var tftpFile = await File.ReadAllTextAsync(Path.Combine(app.TftpRoot, "machines", pc.Mac.Replace(':', '-') + ".ipxe"));
        var rightSecretFromAnotherAddress = await InquiryAsync(pc, $"{secrets.User}%{secrets.Secret}@", "");
        var acl = (await app.Iscsi.ListTargetsAsync(CancellationToken.None)).Single(t => t.Target.Value.EndsWith($"session.{pc.SessionId}", StringComparison.Ordinal)).AllowedInitiators;

        Assert.Contains($"set username {pc.Name}\nset password {secrets.Secret}\n", fromThePc, StringComparison.Ordinal);
        Assert.DoesNotContain("reverse-password", fromThePc, StringComparison.Ordinal);
        Assert.Contains("sanboot", fromThePc, StringComparison.Ordinal);
        Assert.True(beforeTheScript.ExitCode == 0, beforeTheScript.StandardError);
        Assert.NotEqual(0, rightSecretFromAnotherAddress.ExitCode);
        Assert.Equal([pc.Address], acl);
        foreach (var withheld in new[] { fromElsewhere, tftpFile })
        {
            Assert.DoesNotContain(secrets.Secret, withheld, StringComparison.Ordinal);
            Assert.DoesNotContain("sanboot", withheld, StringComparison.Ordinal);
            Assert.Contains("protected by CHAP", withheld, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Script_GivesNoSecrets_AtAnAddressWhoseLeaseDhcpdFreed()
    {
        using var admin = await app.CreateAdminClientAsync();
        var pc = await StartChapSessionAsync(admin, "oneWay");
        var secrets = await RevealAsync(admin, pc.MachineId);

        var whileItHoldsTheAddress = await ScriptAsync(pc.Mac, pc.Address);
        // What dhcpd writes when the PC releases its lease before its end: the same lease again, free.
        var now = DateTime.UtcNow;
        await File.AppendAllTextAsync(app.LeasesPath,
            $"lease {pc.Address} {{\n  starts 5 {now:yyyy/MM/dd HH:mm:ss};\n  ends 5 {now.AddHours(1):yyyy/MM/dd HH:mm:ss};\n  binding state free;\n  hardware ethernet {pc.Mac};\n}}\n");
        var afterItsLeaseEnded = await ScriptAsync(pc.Mac, pc.Address);

        Assert.Contains($"set password {secrets.Secret}\n", whileItHoldsTheAddress, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets.Secret, afterItsLeaseEnded, StringComparison.Ordinal);
        Assert.Contains("protected by CHAP", afterItsLeaseEnded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TgtdRestart_ReconcileRecreatesTheTargetWithItsChap()
    {
        using var admin = await app.CreateAdminClientAsync();
        var pc = await StartChapSessionAsync(admin, "oneWay");
        var secrets = await RevealAsync(admin, pc.MachineId);

        await app.Tgtd.RestartAsync();
        // A pass leaves a session that changed while it ran (the PC's lease moves it to Booting) to the next one, and
        // the app's own minutely pass may be the one that heals it: passes run until the PC can log in, for 15 s.
        BufferedCommandResult withSecret;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using (var scope = app.Services.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<ReconcileSessions>().ExecuteAsync(CancellationToken.None);
            }
            withSecret = await InquiryAsync(pc, $"{secrets.User}%{secrets.Secret}@", "");
            if (withSecret.ExitCode == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(250);
        }
        var without = await InquiryAsync(pc, "", "");

        Assert.True(withSecret.ExitCode == 0, withSecret.StandardError);
        Assert.NotEqual(0, without.ExitCode);
    }

    [Fact]
    public async Task EverySession_GetsNewSecrets_AndNeitherAnEndedSessionsSecretNorAWrongOneOpensTheDisk()
    {
        using var admin = await app.CreateAdminClientAsync();
        var first = await StartChapSessionAsync(admin, "oneWay");
        var firstSecrets = await RevealAsync(admin, first.MachineId);
        (await admin.PostAsync(new Uri($"/api/v1/sessions/{first.SessionId}/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await admin.WaitForSessionStateAsync(first.SessionId, "stopped", TimeSpan.FromSeconds(30));
        var betweenSessions = await admin.PostAsync(new Uri($"/api/v1/machines/{first.MachineId}/chap/reveal", UriKind.Relative), null);
        var second = first with { SessionId = await StartSessionAsync(admin, first.MachineId) };
        var secondSecrets = await RevealAsync(admin, second.MachineId);

        var withEndedSecret = await InquiryAsync(second, $"{firstSecrets.User}%{firstSecrets.Secret}@", "");
        var withWrongSecret = await InquiryAsync(second, $"{secondSecrets.User}%{secondSecrets.Secret[..^1]}{(secondSecrets.Secret[^1] == 'x' ? 'y' : 'x')}@", "");
        var endedTarget = await InquiryAsync(first, $"{firstSecrets.User}%{firstSecrets.Secret}@", "");
        var withItsSecret = await InquiryAsync(second, $"{secondSecrets.User}%{secondSecrets.Secret}@", "");

        Assert.NotEqual(firstSecrets.Secret, secondSecrets.Secret);
        Assert.Equal(HttpStatusCode.Conflict, betweenSessions.StatusCode);
        Assert.Contains("Each session gets new secrets", await betweenSessions.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(0, withEndedSecret.ExitCode);
        Assert.NotEqual(0, withWrongSecret.ExitCode);
        Assert.NotEqual(0, endedTarget.ExitCode);
        Assert.True(withItsSecret.ExitCode == 0, withItsSecret.StandardError);
    }

    [Fact]
    public async Task AMaintenanceSession_UsesMutualChap_ThoughThePolicyIsOneWay()
    {
        using var admin = await app.CreateAdminClientAsync();
        var pc = await StartChapSessionAsync(admin, "oneWay", "maintenance");

        var secrets = await RevealAsync(admin, pc.MachineId);
        var withMutual = await InquiryAsync(pc, $"{secrets.User}%{secrets.Secret}@", $"?target_user={secrets.MutualUser}&target_password={secrets.MutualSecret}");
        var withAWrongTargetSecret = await InquiryAsync(pc, $"{secrets.User}%{secrets.Secret}@", $"?target_user={secrets.MutualUser}&target_password=NotTheTargets12");
        var script = await ScriptAsync(pc.Mac, pc.Address);

        Assert.Equal(pc.Name + "-target", secrets.MutualUser);
        Assert.Contains($"set reverse-password {secrets.MutualSecret}", script, StringComparison.Ordinal);
        Assert.True(withMutual.ExitCode == 0, withMutual.StandardError);
        Assert.NotEqual(0, withAWrongTargetSecret.ExitCode);
    }

    [Fact]
    public async Task ChapSettings_AreForAdminsOnly_AndAWrongPolicyGetsASentence()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var operatorClient = await app.CreateClientWithRoleAsync(GGnet.Core.Domain.Roles.Operator);
        var machineId = await AddMachineAsync(admin, TestNames.Unique("chap"), TestMacs.Next(), null);

        var reveal = await operatorClient.PostAsync(new Uri($"/api/v1/machines/{machineId}/chap/reveal", UriKind.Relative), null);
        var set = await operatorClient.PutAsJsonAsync($"/api/v1/machines/{machineId}/chap", new { policy = "off" });
        var wrong = await admin.PutAsJsonAsync($"/api/v1/machines/{machineId}/chap", new { policy = "sometimes" });
        var shown = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/machines/{machineId}/chap");

        Assert.Equal(HttpStatusCode.Forbidden, reveal.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, set.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("policy", out _));
        Assert.Equal("default", shown.GetProperty("policy").GetString());
        Assert.Equal("off", shown.GetProperty("effective").GetString());
        Assert.False(shown.GetProperty("hasSecrets").GetBoolean());
    }

    [Fact]
    public async Task AnOperator_CantDropAMachinesOwnChap_ByDeletingIt_AnAdminCan()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var operatorClient = await app.CreateClientWithRoleAsync(GGnet.Core.Domain.Roles.Operator);
        var withChap = await AddMachineAsync(admin, TestNames.Unique("chap"), TestMacs.Next(), null);
        (await admin.PutAsJsonAsync($"/api/v1/machines/{withChap}/chap", new { policy = "mutual" })).EnsureSuccessStatusCode();
        var plain = await AddMachineAsync(admin, TestNames.Unique("plain"), TestMacs.Next(), null);

        var byOperator = await operatorClient.DeleteAsync(new Uri($"/api/v1/machines/{withChap}", UriKind.Relative));
        var plainByOperator = await operatorClient.DeleteAsync(new Uri($"/api/v1/machines/{plain}", UriKind.Relative));
        var stillThere = await admin.GetAsync(new Uri($"/api/v1/machines/{withChap}", UriKind.Relative));
        var byAdmin = await admin.DeleteAsync(new Uri($"/api/v1/machines/{withChap}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, byOperator.StatusCode);
        Assert.Contains("only an admin chooses", await byOperator.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, plainByOperator.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
    }

    private sealed record ChapPc(int MachineId, string Name, string Mac, string Address, int SessionId);

    private sealed record Secrets(string User, string Secret, string MutualUser, string MutualSecret);

    private static int _address = 40;

    private async Task<ChapPc> StartChapSessionAsync(HttpClient admin, string policy, string type = "normal")
    {
        var name = TestNames.Unique("chap");
        var mac = TestMacs.Next();
        var address = $"10.99.0.{Interlocked.Increment(ref _address)}";
        var machineId = await AddMachineAsync(admin, name, mac, null);
        await File.AppendAllTextAsync(app.LeasesPath, $"lease {address} {{\n  starts 5 {DateTime.UtcNow:yyyy/MM/dd HH:mm:ss};\n  binding state active;\n  hardware ethernet {mac};\n}}\n");
        (await admin.PutAsJsonAsync($"/api/v1/machines/{machineId}/chap", new { policy })).EnsureSuccessStatusCode();
        return new ChapPc(machineId, name, mac, address, await StartSessionAsync(admin, machineId, type));
    }

    private async Task<int> StartSessionAsync(HttpClient admin, int machineId, string type = "normal")
    {
        var imageId = await app.AddImageAsync(TestNames.Unique("img"));
        var sessionId = (await (await admin.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId, type })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        // Its PC has a lease already: the session may be seen booting as soon as it is ready.
        await admin.WaitForAsync($"/api/v1/sessions/{sessionId}", session => session.GetProperty("state").GetString() is "ready" or "booting");
        return sessionId;
    }

    private static async Task<int> AddMachineAsync(HttpClient admin, string name, string mac, string? address)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/machines", new { name, macAddress = mac, ipAddress = address });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task<Secrets> RevealAsync(HttpClient admin, int machineId)
    {
        var response = await admin.PostAsync(new Uri($"/api/v1/machines/{machineId}/chap/reveal", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Secrets>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    // The request as it reaches GGnet from a PC at that address.
    private async Task<string> ScriptAsync(string mac, string from)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = $"/boot/{mac.Replace(':', '-')}.ipxe";
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });
        Assert.Equal(200, context.Response.StatusCode);
        return await new StreamReader(context.Response.Body).ReadToEndAsync();
    }

    private async Task<string> StoredSecretAsync(int machineId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContextAsync();
        return (await db.Machines.SingleAsync(m => m.Id == machineId)).ProtectedChapSecret!;
    }

    private Task<BufferedCommandResult> InquiryAsync(ChapPc pc, string credentials, string query) =>
        Cli.Wrap("/usr/bin/iscsi-inq")
            .WithArguments(["-i", "iqn.2024-01.net.ggnet:initiator." + pc.Mac.Replace(":", "", StringComparison.Ordinal),
                $"iscsi://{credentials}127.0.0.1:{app.Tgtd.IscsiPort}/iqn.2024-01.net.ggnet:session.{pc.SessionId}/1{query}"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
}
