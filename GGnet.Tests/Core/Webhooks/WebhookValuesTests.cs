using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Webhooks;

namespace GGnet.Tests.Core.Webhooks;

public sealed class WebhookValuesTests
{
    [Theory]
    [InlineData("https://billing.example/ggnet", "https://billing.example/ggnet")]
    [InlineData("  http://127.0.0.1:8080/hook?x=1 ", "http://127.0.0.1:8080/hook?x=1")]
    public void WebhookUrl_AbsoluteHttpOrHttps_IsAccepted(string text, string expected)
    {
        var parsed = WebhookUrl.TryParse(text, out var url, out _);

        Assert.True(parsed);
        Assert.Equal(expected, url!.Value);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("billing.example/hook")]
    [InlineData("https://admin:secret@billing.example/")]
    [InlineData(null)]
    public void WebhookUrl_OtherSchemesRelativeOrWithCredentials_IsRefusedWithASentence(string? text)
    {
        var parsed = WebhookUrl.TryParse(text, out _, out var error);

        Assert.False(parsed);
        Assert.EndsWith(".", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EventFilter_All_MatchesEveryEvent_AndNamesMatchOnlyThemselves()
    {
        var all = WebhookEventFilter.Parse("all");
        var some = WebhookEventFilter.Parse(" Session.Ready , machine.deleted");

        Assert.All(WebhookEventTypes.All, type => Assert.True(all.Matches(type)));
        Assert.True(some.Matches("session.ready"));
        Assert.False(some.Matches("session.failed"));
        Assert.Equal("session.ready,machine.deleted", some.Value);
        Assert.Equal(some, WebhookEventFilter.Parse(some.Value));
    }

    [Fact]
    public void EventFilter_UnknownName_IsRefusedNamingIt()
    {
        var parsed = WebhookEventFilter.TryParse(["session.ready", "pc.exploded"], out _, out var error);

        Assert.False(parsed);
        Assert.Contains("'pc.exploded'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_IsHmacSha256OfTimestampDotBody_InLowercaseHex()
    {
        // Checked against: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'secret'
        var signature = WebhookSignature.Compute("secret", 1_700_000_000, "{\"a\":1}");

        Assert.Equal("sha256=" + ExpectedFromOpenssl, signature);
        Assert.True(WebhookSignature.Verify("secret", 1_700_000_000, "{\"a\":1}", signature));
        Assert.False(WebhookSignature.Verify("secret", 1_700_000_001, "{\"a\":1}", signature));
    }

    private const string ExpectedFromOpenssl = "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";
}
