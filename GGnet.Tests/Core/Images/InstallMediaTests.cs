using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Images;

public sealed class InstallMediaTests
{
    [Theory]
    [InlineData("win11-23h2.iso")]
    [InlineData(" debian-12.8.0-amd64-netinst.ISO ")]
    public void Validate_TakesAPlainIsoFileName(string name) =>
        Assert.Equal(name.Trim(), InstallMedia.Validate(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../etc/shadow.iso")]
    [InlineData("media/win11.iso")]
    [InlineData(".hidden.iso")]
    [InlineData("win11.img")]
    [InlineData("win 11.iso")]
    [InlineData("win11.iso\nshell")]
    public void Validate_RefusesAnythingElse_WithASentenceThatShowsTheWay(string? name)
    {
        var refused = Assert.Throws<InvalidInputException>(() => InstallMedia.Validate(name));

        Assert.Contains("ending in .iso, like win11-23h2.iso", refused.Errors["installFrom"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(0, 1)]
    public void TheMediumsLun_IsTheOneAfterTheDisk(int diskLun, int mediumLun) =>
        Assert.Equal(mediumLun, InstallMedia.LunAfter(diskLun));

    [Fact]
    public void PathOf_ASessionThatInstallsNothing_IsNull() =>
        Assert.Null(InstallMedia.PathOf(new EmptyImportFolder(), null));

    [Fact]
    public void PathOf_AnIsoNoLongerInTheImportFolder_SaysSoInASentence()
    {
        var folder = new EmptyImportFolder();

        var gone = Assert.Throws<IOException>(() => InstallMedia.PathOf(folder, "win11.iso"));

        Assert.Equal($"the installer ISO win11.iso is no longer in the import folder {folder.Path}. "
            + "Upload it again (Images › Upload) or put it back there, then start the install again", gone.Message);
    }
}
