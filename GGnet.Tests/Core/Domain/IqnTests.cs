using GGnet.Core.Domain;

namespace GGnet.Tests.Core.Domain;

public sealed class IqnTests
{
    [Theory]
    [InlineData("iqn.2024-01.com.example:pc-01", "iqn.2024-01.com.example:pc-01")]
    [InlineData("iqn.2024-01.com.example", "iqn.2024-01.com.example")]
    [InlineData("IQN.2003-12.Net.GGnet:Session.42", "iqn.2003-12.net.ggnet:session.42")]
    [InlineData("iqn.1993-08.org.debian:01:abcdef", "iqn.1993-08.org.debian:01:abcdef")]
    public void Parse_Rfc3720Names_AreLowercased(string text, string expected)
    {
        Assert.Equal(expected, Iqn.Parse(text).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("eui.02004567A425678D")]
    [InlineData("iqn.24-01.com.example")]
    [InlineData("iqn.2024-13.com.example")]
    [InlineData("iqn.2024-00.com.example")]
    [InlineData("iqn.2024-1.com.example")]
    [InlineData("iqn.2024-01")]
    [InlineData("iqn.2024-01.")]
    [InlineData("iqn.2024-01com.example")]
    [InlineData("iqn.2024-01.com..example")]
    [InlineData("iqn.2024-01.-com.example")]
    [InlineData("iqn.2024-01.com.example:")]
    [InlineData("iqn.2024-01.com.example:pc 01")]
    [InlineData("iqn.2024-01.com.example:pc;reboot")]
    [InlineData("iqn.2024-01.com.example:${x}")]
    [InlineData("iqn.2024-01.com.example:pc\n01")]
    [InlineData("iqn.2024-01.com.exаmple")] // Cyrillic 'а'
    public void TryParse_MalformedOrHostile_IsRefused(string? text)
    {
        Assert.False(Iqn.TryParse(text, out var iqn, out var error));
        Assert.Null(iqn);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryParse_LongerThan223_IsRefused()
    {
        var text = "iqn.2024-01.com.example:" + new string('a', 200);

        Assert.False(Iqn.TryParse(text, out _, out var error));
        Assert.Contains("223", error, StringComparison.Ordinal);
    }
}
