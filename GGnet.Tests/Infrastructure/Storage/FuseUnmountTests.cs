using GGnet.Infrastructure.Storage;

namespace GGnet.Tests.Infrastructure.Storage;

public sealed class FuseUnmountTests
{
    [Fact]
    public void FuseUnmount_AsRoot_IsALazyUmount_AsAUser_IsFusermount3()
    {
        var asRoot = FuseExports.UnmountCommand(privileged: true, "/d/session-1.img");
        var asUser = FuseExports.UnmountCommand(privileged: false, "/d/session-1.img");

        Assert.Equal("umount -l -- /d/session-1.img", string.Join(' ', [asRoot.Program, .. asRoot.Arguments]));
        Assert.Equal("fusermount3 -u -z -- /d/session-1.img", string.Join(' ', [asUser.Program, .. asUser.Arguments]));
    }
}
