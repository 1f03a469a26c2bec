using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Processes;

public sealed class RootCommandTests
{
    [Fact]
    public void AsRoot_WithSudoOff_RunsTheProgramItself()
    {
        var (program, arguments) = ExternalCommand.AsRoot(new CommandOptions(), "/usr/sbin/tgtadm", ["--lld", "iscsi"]);

        Assert.Equal("/usr/sbin/tgtadm", program);
        Assert.Equal(["--lld", "iscsi"], arguments);
    }

    [Fact]
    public void AsRoot_WithSudoOn_RunsItThroughSudoWithoutEverAskingForAPassword()
    {
        var (program, arguments) = ExternalCommand.AsRoot(new CommandOptions { Sudo = true }, "/usr/sbin/tgtadm", ["--lld", "iscsi", "--op", "show"]);

        Assert.Equal("/usr/bin/sudo", program);
        Assert.Equal(["-n", "--", "/usr/sbin/tgtadm", "--lld", "iscsi", "--op", "show"], arguments);
    }

    [Fact]
    public async Task RunAsRoot_WithSudoOn_RunsTheRealSudo()
    {
        var commands = new ExternalCommand(NullLogger<ExternalCommand>.Instance, Options.Create(new CommandOptions { Sudo = true }));

        var result = await commands.RunAsRootAsync("/usr/bin/id", ["-u"], CancellationToken.None);

        Assert.True(result.Succeeded, result.Explanation);
        Assert.Equal("0", result.StandardOutput.Trim());
    }

    [Fact]
    public void FuseUnmount_AsRoot_IsALazyUmount_AsAUser_IsFusermount3()
    {
        var asRoot = FuseExports.UnmountCommand(privileged: true, "/d/session-1.img");
        var asUser = FuseExports.UnmountCommand(privileged: false, "/d/session-1.img");

        Assert.Equal("umount -l -- /d/session-1.img", string.Join(' ', [asRoot.Program, .. asRoot.Arguments]));
        Assert.Equal("fusermount3 -u -z -- /d/session-1.img", string.Join(' ', [asUser.Program, .. asUser.Arguments]));
    }
}
