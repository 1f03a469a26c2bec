using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Domain.Machines;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Netboot;
using static GGnet.Tests.Support.Netboot.NetbootSteps;

namespace GGnet.Tests.E2E;

/// <summary>
/// Mutual CHAP on a real network boot: the QEMU PC logs in with the secrets only its own HTTP request gets, and the
/// target proves itself back; when the target's secret no longer matches, the PC can't attach and GGnet shows why.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class ChapNetbootTests
{
    private const string Mac = "52:54:00:99:00:03";

    [Fact]
    public async Task MutualChap_ARealPcBootsWithItsSecrets_AndWithAChangedSecretGGnetShowsWhyItCouldNotAttach()
    {
        await using var lab = await NetbootLab.StartAsync();
        using var api = lab.CreateClient();
        await LogInAsync(api);
        var nonce = Guid.NewGuid().ToString("N")[..12];
        var imageId = await AddImageAsync(lab, nonce);
        var machineId = (await (await api.PostAsJsonAsync("/api/v1/machines", new { name = "e2e-chap", macAddress = Mac, ipAddress = "10.99.0.12" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        (await api.PutAsJsonAsync($"/api/v1/machines/{machineId}/chap", new { policy = "mutual" })).EnsureSuccessStatusCode();
        var sessionId = (await (await api.PostAsJsonAsync("/api/v1/sessions/start", new { machineId, imageId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.WaitForSessionStateAsync(sessionId, "ready", TimeSpan.FromSeconds(60));
        var secrets = await (await api.PostAsync(new Uri($"/api/v1/machines/{machineId}/chap/reveal", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var tftpScript = await File.ReadAllTextAsync(Path.Combine(lab.TftpRoot, "machines", Mac.Replace(':', '-') + ".ipxe"));

        var pc = lab.PowerOn(Mac, "chap-boot1");
        var booted = await pc.WaitForAsync(pc.Com1, $"GGNET-BOOT-OK nonce={nonce}", TimeSpan.FromSeconds(120));
        var online = booted ? await api.WaitForSessionStateAsync(sessionId, "online", TimeSpan.FromSeconds(20)) : default;
        await pc.PowerOffAsync();

        Assert.True(booted, "The CHAP PC's nonce never arrived. iPXE said: " + Tail(pc.Com2));
        Assert.Equal("online", online.GetProperty("state").GetString());
        Assert.Contains("protected by CHAP", tftpScript, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets.GetProperty("secret").GetString()!, tftpScript, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets.GetProperty("mutualSecret").GetString()!, tftpScript, StringComparison.Ordinal);

        // Someone gives the target's CHAP account another secret behind GGnet's back.
        var user = secrets.GetProperty("user").GetString()!;
        var tid = await TidOfAsync(lab, $"session.{sessionId}");
        await TgtadmAsync(lab, "--lld", "iscsi", "--op", "unbind", "--mode", "account", "--tid", tid, "--user", user);
        await TgtadmAsync(lab, "--lld", "iscsi", "--op", "delete", "--mode", "account", "--user", user);
        await TgtadmAsync(lab, "--lld", "iscsi", "--op", "new", "--mode", "account", "--user", user, "--password", "notTheSecret42");
        await TgtadmAsync(lab, "--lld", "iscsi", "--op", "bind", "--mode", "account", "--tid", tid, "--user", user);
        var again = lab.PowerOn(Mac, "chap-boot2");
        var refused = await again.WaitForAsync(again.Com2, "could not be attached", TimeSpan.FromSeconds(120));
        var shown = refused ? await api.WaitForAsync($"/api/v1/machines/{machineId}", m => m.GetProperty("bootStage").GetString() == "attachFailed", TimeSpan.FromSeconds(30)) : default;
        var bootedAnyway = File.Exists(again.Com1) && (await File.ReadAllTextAsync(again.Com1)).Contains("GGNET-BOOT-OK", StringComparison.Ordinal);
        var events = await BootEventDetailsAsync(lab, machineId);
        await again.PowerOffAsync();

        Assert.True(refused, "The PC with the wrong secret did not report a failed attach. iPXE said: " + Tail(again.Com2));
        Assert.False(bootedAnyway);
        Assert.Equal("attachFailed", shown.GetProperty("bootStage").GetString());
        var reason = events.Last(e => e.Kind == BootEventKind.AttachFailed).Detail;
        Assert.True(reason!.Contains("refused its login", StringComparison.Ordinal) && reason.Contains("CHAP", StringComparison.Ordinal), reason + " iPXE said: " + Tail(again.Com2));
    }

    private static async Task<string> TidOfAsync(NetbootLab lab, string targetSuffix)
    {
        var listing = (await TgtadmAsync(lab, "--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;
        var line = listing.Split('\n').Single(l => l.StartsWith("Target ", StringComparison.Ordinal) && l.EndsWith(targetSuffix, StringComparison.Ordinal));
        return line["Target ".Length..line.IndexOf(':', StringComparison.Ordinal)];
    }

    private static async Task<BufferedCommandResult> TgtadmAsync(NetbootLab lab, params string[] arguments)
    {
        var result = await Cli.Wrap("/usr/sbin/tgtadm")
            .WithArguments(["-C", lab.TgtControlPort.ToString(CultureInfo.InvariantCulture), .. arguments])
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["TGT_IPC_SOCKET"] = lab.TgtIpcSocket })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"tgtadm {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }
}
