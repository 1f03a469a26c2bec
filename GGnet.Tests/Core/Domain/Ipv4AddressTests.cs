using GGnet.Core.Domain;

namespace GGnet.Tests.Core.Domain;

public sealed class Ipv4AddressTests
{
    [Theory]
    [InlineData("10.0.0.1", 0x0A000001u)]
    [InlineData("192.168.1.20", 0xC0A80114u)]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData(" 10.99.0.10 ", 0x0A63000Au)]
    public void Parse_DottedQuad_KeepsNumberAndText(string text, uint number)
    {
        var address = Ipv4Address.Parse(text);

        Assert.Equal(number, address.Number);
        Assert.Equal(text.Trim(), address.Value);
    }

    [Fact]
    public void FromNumber_RoundTripsThroughText()
    {
        Assert.Equal("10.99.0.150", Ipv4Address.FromNumber(Ipv4Address.Parse("10.99.0.150").Number).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.2.3.4")]
    [InlineData("1..3.4")]
    [InlineData("-1.2.3.4")]
    [InlineData("1.2.3.4/24")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.0.0.1; rm -rf /")]
    [InlineData("10.0\n.0.1")]
    [InlineData("::1")]
    [InlineData("１0.0.0.1")]
    [InlineData("10.0.0.\u0661")]
    [InlineData("localhost")]
    public void TryParse_MalformedOrHostile_IsRefused(string? text)
    {
        Assert.False(Ipv4Address.TryParse(text, out var address, out var error));
        Assert.Null(address);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
