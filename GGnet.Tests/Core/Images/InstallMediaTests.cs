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

    [Fact]
    public void UrlFor_IsBelowTheBootUrl_NamingTheSessionAndTheFile() =>
        Assert.Equal("http://10.99.0.1:5000/boot/media/42/win11.iso", InstallMedia.UrlFor(BootSamples.Network(), 42, "win11.iso"));
}
