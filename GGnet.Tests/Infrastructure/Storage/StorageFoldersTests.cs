using GGnet.Infrastructure.Storage;

namespace GGnet.Tests.Infrastructure.Storage;

/// <summary>Where the disk, import and image folders are: one form for the service and the root helper, which compare paths as text.</summary>
public sealed class StorageFoldersTests
{
    [Fact]
    public void Unset_TheFoldersAreInTheDataDirectory()
    {
        var storage = new StorageOptions();

        Assert.Equal("/var/lib/ggnet/disks", storage.DiskFolder("/var/lib/ggnet"));
        Assert.Equal("/var/lib/ggnet/import", storage.ImportFolder("/var/lib/ggnet/"));
        Assert.Equal("/var/lib/ggnet/images", storage.ImageFolder("/var/lib/ggnet"));
    }

    [Fact]
    public void Set_WithATrailingSlashOrDots_TheyAreGivenInFull_WithoutTheSlash()
    {
        var storage = new StorageOptions { DiskDirectory = "/srv/pool/disks/", ImportDirectory = "/srv/pool/x/../import", ImageDirectory = "/srv/pool/images" };

        Assert.Equal("/srv/pool/disks", storage.DiskFolder("/var/lib/ggnet"));
        Assert.Equal("/srv/pool/import", storage.ImportFolder("/var/lib/ggnet"));
        Assert.Equal("/srv/pool/images", storage.ImageFolder("/var/lib/ggnet"));
    }
}
