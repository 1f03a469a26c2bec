using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;

namespace GGnet.Tests.Lab;

/// <summary>The lab network against the real programs: namespace, bridge, tftpd, dhcpd and tgtd come and go with GGnet.</summary>
[Collection(WebAppTests.Name)]
public sealed class LabNetworkTests
{
    [Fact]
    public async Task UpAndDown_AlsoAfterAKillAndARestart_LeaveNoNamespaceProcessOrMountBehind()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using (var api = await app.CreateAdminClientAsync())
        {
            var lab = await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
            var pc = await (await api.PostAsync(new Uri("/api/v1/lab/virtual-pcs", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
            (await api.PostAsync(new Uri($"/api/v1/machines/{pc.GetProperty("id").GetInt32()}/power-on", UriKind.Relative), null)).EnsureSuccessStatusCode();
            Assert.Contains("private network 10.99.0.0/24", lab.GetProperty("sentence").GetString(), StringComparison.Ordinal);
            Assert.Equal(GGnet.Infrastructure.Lab.DemoImage.Disk(), await File.ReadAllBytesAsync(Path.Combine(app.DataDirectory, "images", "ggnet-demo.img")));
        }
        var firstRun = await WaitForProcessesAsync(app, "in.tftpd", "tgtd", "dhcpd", "qemu-system-x86");

        await app.KillAsync();
        var leftAfterKill = await app.LabProcessesAsync();
        await app.StartAsync();
        using (var api = await app.CreateAdminClientAsync())
        {
            await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        }
        var secondRun = await WaitForProcessesAsync(app, "in.tftpd", "tgtd", "dhcpd");
        await app.StopAsync();

        Assert.NotEmpty(leftAfterKill);
        Assert.All(firstRun, old => Assert.False(IsAlive(old.Pid), $"{old.Name} ({old.Pid}) of the killed run is still alive"));
        Assert.DoesNotContain(secondRun, p => p.Name == "qemu-system-x86");
        Assert.False(File.Exists(app.NamespaceHandle), "the lab namespace is still there after GGnet stopped. Log: " + await File.ReadAllTextAsync(app.Log));
        Assert.All(secondRun, p => Assert.False(IsAlive(p.Pid), $"{p.Name} ({p.Pid}) outlived GGnet"));
        Assert.DoesNotContain(app.Namespace, await File.ReadAllTextAsync("/proc/mounts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRelay_GivesAPcItsBootFile_AndRefusesEscapedPathsAndSmuggledRequests()
    {
        await using var app = new LabApp();
        await app.StartAsync();
        using var api = await app.CreateAdminClientAsync();
        await api.WaitForAsync("/api/v1/lab", l => l.GetProperty("running").GetBoolean());
        const string Login = "{\"username\":\"admin\",\"password\":\"" + LabApp.AdminPassword + "\"}";

        var bootFile = await FromAGuestAsync(app, "GET /boot/boot.ipxe HTTP/1.0\r\n\r\n");
        var escaped = await FromAGuestAsync(app, "GET /boot/%2e%2e/metrics HTTP/1.1\r\nHost: 10.99.0.1\r\n\r\n");
        var dotSegments = await FromAGuestAsync(app, "GET /boot/x/../../metrics HTTP/1.1\r\nHost: 10.99.0.1\r\n\r\n");
        var smuggledPost = await FromAGuestAsync(app, "GET /boot/boot.ipxe HTTP/1.1\nHost: 10.99.0.1\n\nPOST /api/v1/auth/token HTTP/1.1\r\nHost: 10.99.0.1\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {Login.Length}\r\n\r\n{Login}");
        var forgedPc = await FromAGuestAsync(app, "GET /boot/boot.ipxe HTTP/1.1\nX-GGnet-Lab-Pc: 10.99.0.77\r\nHost: 10.99.0.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", bootFile, StringComparison.Ordinal);
        Assert.Contains("#!ipxe", bootFile, StringComparison.Ordinal);
        Assert.All(new[] { escaped, dotSegments, smuggledPost, forgedPc }, answer =>
        {
            Assert.StartsWith("HTTP/1.1 404", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("ggnet_", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("token", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("#!ipxe", answer, StringComparison.Ordinal);
        });
    }

    // What a customer's PC on the lab network gets for these exact bytes sent to the lab server's port 80.
    private static async Task<string> FromAGuestAsync(LabApp app, string request)
    {
        var payload = Path.Combine(app.DataDirectory, "guest-request.bin");
        await File.WriteAllBytesAsync(payload, System.Text.Encoding.ASCII.GetBytes(request));
        var result = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(CliWrap.Cli.Wrap("ip")
            .WithArguments(["netns", "exec", app.Namespace, "bash", "-c", "exec 3<>/dev/tcp/10.99.0.1/80 && cat \"$1\" >&3 && timeout 5 cat <&3", "guest", payload])
            .WithValidation(CliWrap.CommandResultValidation.None));
        return result.StandardOutput;
    }

    private static async Task<IReadOnlyList<(int Pid, string Name)>> WaitForProcessesAsync(LabApp app, params string[] names)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<(int Pid, string Name)> processes;
        do
        {
            processes = await app.LabProcessesAsync();
            if (names.All(name => processes.Any(p => p.Name.StartsWith(name, StringComparison.Ordinal))))
            {
                return processes;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"The lab never ran {string.Join(", ", names)}; it runs {string.Join(", ", processes.Select(p => p.Name))}. Log: {await File.ReadAllTextAsync(app.Log)}");
    }

    // An ended daemon stays a zombie until init reaps it: that one is gone too.
    private static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllLines($"/proc/{pid}/status").Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z', StringComparison.Ordinal));
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
