using GGnet.Core.Boot;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Boot;

public sealed class SlowSyncBootAppFactory : BootAppFactory
{
    protected override int SyncDelayMilliseconds => 1_000;

    // A storm of 100 creates on a loaded machine can outlast the default 5 s cap, which would sync in the middle of it:
    // here only the quiet second ends the wait.
    protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Append(("Boot:SyncMaxDelayMilliseconds", "60000"));
}

/// <summary>Machine changes reach dhcpd.conf and the TFTP root, with restarts coalesced.</summary>
[Collection(WebAppTests.Name)]
public sealed class BootSyncTests(SlowSyncBootAppFactory app) : IClassFixture<SlowSyncBootAppFactory>
{
    [Fact]
    public async Task HundredMachineChanges_GiveExactlyOneRestart_AndNoChangeGivesNone()
    {
        using var client = app.CreateAnonymousClient();
        await WaitForSyncAfterAsync(DateTime.MinValue);
        var restartsBefore = app.RestartCounter.Count;

        var marker = DateTime.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var create = scope.ServiceProvider.GetRequiredService<CreateMachine>();
            for (var i = 0; i < 100; i++)
            {
                await create.ExecuteAsync(new MachineInput { Name = $"storm-{i:000}", MacAddress = $"52:54:02:00:00:{i:x2}" }, "test", CancellationToken.None);
            }
        }
        await WaitForSyncAfterAsync(marker);
        var restartsAfterStorm = app.RestartCounter.Count;

        var quietMarker = DateTime.UtcNow;
        app.Services.GetRequiredService<IBootSyncTrigger>().Request();
        await WaitForSyncAfterAsync(quietMarker);

        Assert.Equal(restartsBefore + 1, restartsAfterStorm);
        Assert.Equal(restartsAfterStorm, app.RestartCounter.Count);
        var config = await File.ReadAllTextAsync(app.DhcpdConfigPath);
        Assert.Contains("hardware ethernet 52:54:02:00:00:63;", config, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app.TftpRoot, "machines", "52-54-02-00-00-63.ipxe")));
    }

    [Fact]
    public async Task DeletedMachine_LeavesDhcpAndTftp()
    {
        await WaitForSyncAfterAsync(DateTime.MinValue);
        var created = DateTime.UtcNow;
        int id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<CreateMachine>()
                .ExecuteAsync(new MachineInput { Name = "leaving", MacAddress = "52:54:03:00:00:01", IpAddress = "10.99.0.61" }, "test", CancellationToken.None)).Id;
        }
        await WaitForSyncAfterAsync(created);
        var scriptPath = Path.Combine(app.TftpRoot, "machines", "52-54-03-00-00-01.ipxe");
        Assert.True(File.Exists(scriptPath));

        var marker = DateTime.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DeleteMachine>().ExecuteAsync(id, "test", mayChooseChap: true, CancellationToken.None);
        }
        await WaitForSyncAfterAsync(marker);

        Assert.False(File.Exists(scriptPath));
        Assert.DoesNotContain("52:54:03:00:00:01", await File.ReadAllTextAsync(app.DhcpdConfigPath), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app.TftpRoot, "boot.ipxe")));
        Assert.True(File.Exists(Path.Combine(app.TftpRoot, "undionly.kpxe")));
    }

    [Fact]
    public async Task HostileDescriptionsAndLongNames_StillGiveAConfigDhcpdAccepts()
    {
        await WaitForSyncAfterAsync(DateTime.MinValue);
        var marker = DateTime.UtcNow;
        string[] hostile = ["x { } host y { hardware ethernet 00:11:22:33:44:55; }", "\"; option routers 1.2.3.4; #", "line\nbreak ${x} $(id) `id`", new string('{', 500)];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var create = scope.ServiceProvider.GetRequiredService<CreateMachine>();
            for (var i = 0; i < hostile.Length; i++)
            {
                await create.ExecuteAsync(new MachineInput { Name = new string('h', 60) + $"-{i:0}", MacAddress = $"52:54:04:00:00:{i:x2}", Description = hostile[i] }, "test", CancellationToken.None);
            }
        }
        await WaitForSyncAfterAsync(marker);

        var status = app.Services.GetRequiredService<BootPlaneStatus>();
        var config = await File.ReadAllTextAsync(app.DhcpdConfigPath);
        Assert.Null(status.LastDhcpRejection);
        Assert.Equal(DhcpApplyOutcome.Applied, status.LastDhcp!.Outcome);
        Assert.DoesNotContain("00:11:22:33:44:55", config, StringComparison.Ordinal);
        Assert.DoesNotContain("1.2.3.4", config, StringComparison.Ordinal);
        Assert.Equal(config.Split('\n').Count(l => l.StartsWith("host ", StringComparison.Ordinal)), config.Split('\n').Count(l => l.Contains("hardware ethernet", StringComparison.Ordinal)));
    }

    private async Task WaitForSyncAfterAsync(DateTime marker)
    {
        var status = app.Services.GetRequiredService<BootPlaneStatus>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(status.LastSyncAt > marker))
        {
            Assert.True(DateTime.UtcNow < deadline, "DHCP and TFTP were not synced within 30 seconds.");
            await Task.Delay(50);
        }
        Assert.Null(status.LastError);
    }
}
