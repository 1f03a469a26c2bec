using GGnet.Core.Domain;

namespace GGnet.Tests.Core.Domain;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("aa:bb:cc:dd:ee:01")]
    [InlineData("AA:BB:CC:DD:EE:01")]
    [InlineData("AA-BB-CC-DD-EE-01")]
    [InlineData("aabbccddee01")]
    [InlineData("AABB.CCDD.EE01")]
    [InlineData("  aa:bb:cc:dd:ee:01  ")]
    [InlineData("aa:bb:cc:dd:ee:01\n")]
    public void Parse_CommonSpellings_GiveOneCanonicalForm(string text)
    {
        var mac = MacAddress.Parse(text);

        Assert.Equal("aa:bb:cc:dd:ee:01", mac.Value);
        Assert.Equal("aa-bb-cc-dd-ee-01", mac.Hyphenated);
    }

    [Fact]
    public void Equality_DifferentSpellingsOfSameAddress_AreEqual()
    {
        Assert.Equal(MacAddress.Parse("AA-BB-CC-DD-EE-01"), MacAddress.Parse("aabbccddee01"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("aa:bb:cc:dd:ee")]
    [InlineData("aa:bb:cc:dd:ee:ff:00")]
    [InlineData("gg:bb:cc:dd:ee:01")]
    [InlineData("aa:bb-cc:dd:ee:01")]
    [InlineData("aa:bb:cc:dd:ee:0")]
    [InlineData("aa:bb:cc:dd:e::01")]
    [InlineData("aabb.cc.d.ee01")]
    [InlineData("aabb.ccdd.ee0g")]
    [InlineData("aabb.ccdd-ee01")]
    [InlineData("aabbccddee0")]
    [InlineData("aa:bb:cc:dd:ee:01;reboot")]
    [InlineData("aa:bb:cc\n:dd:ee:01")]
    [InlineData("aa:bb:cc:dd:ee:\u0661\u0662")]
    [InlineData("ａａ:bb:cc:dd:ee:01")]
    [InlineData("${net0/mac}")]
    [InlineData("../../etc/pw")]
    [InlineData("00:00:00:00:00:00")]
    [InlineData("ff:ff:ff:ff:ff:ff")]
    [InlineData("01:00:5e:00:00:01")]
    public void TryParse_HostileOrMalformed_IsRefusedWithASentence(string? text)
    {
        var ok = MacAddress.TryParse(text, out var mac, out var error);

        Assert.False(ok);
        Assert.Null(mac);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.EndsWith(".", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ErrorQuotingInput_HasNoControlCharacters()
    {
        var ok = MacAddress.TryParse("aa:bb:cc:dd:e\n:01", out _, out var error);

        Assert.False(ok);
        Assert.DoesNotContain('\n', error!);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => MacAddress.Parse("nope"));
    }
}
