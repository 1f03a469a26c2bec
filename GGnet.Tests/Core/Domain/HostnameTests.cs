using GGnet.Core.Domain;

namespace GGnet.Tests.Core.Domain;

public sealed class HostnameTests
{
    [Theory]
    [InlineData("pc-01", "pc-01")]
    [InlineData("PC-01", "pc-01")]
    [InlineData("a", "a")]
    [InlineData("1hall", "1hall")]
    public void Parse_ValidLabel_IsLowercased(string text, string expected)
    {
        Assert.Equal(expected, Hostname.Parse(text).Value);
    }

    [Fact]
    public void Parse_SixtyThreeCharacters_IsAccepted()
    {
        Assert.Equal(63, Hostname.Parse(new string('a', 63)).Value.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-pc")]
    [InlineData("pc-")]
    [InlineData("pc 01")]
    [InlineData("pc_01")]
    [InlineData("pc.hall")]
    [InlineData("pc\"; exit")]
    [InlineData("pc{}")]
    [InlineData("pc;reboot")]
    [InlineData("pc\nchain http://evil")]
    [InlineData("${root-path}")]
    [InlineData("$(reboot)")]
    [InlineData("`id`")]
    [InlineData("../etc")]
    [InlineData("pс-01")] // Cyrillic 'с'
    [InlineData("pc\u0000")]
    public void TryParse_HostileOrMalformed_IsRefused(string? text)
    {
        Assert.False(Hostname.TryParse(text, out var name, out var error));
        Assert.Null(name);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryParse_TooLong_SaysTheLimit()
    {
        Assert.False(Hostname.TryParse(new string('a', 10_000), out _, out var error));
        Assert.Contains("63", error, StringComparison.Ordinal);
    }
}
