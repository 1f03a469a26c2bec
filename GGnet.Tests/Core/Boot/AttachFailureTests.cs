using GGnet.Core.Boot;

namespace GGnet.Tests.Core.Boot;

/// <summary>iPXE's error number, as a PC's script reports a failed attach, read into a sentence an admin can act on.</summary>
public sealed class AttachFailureTests
{
    [Theory]
    [InlineData("0x410d613c", "refused its login")]
    [InlineData("1091395900", "refused its login")]
    [InlineData("0x4c0a6092", "did not answer in time")]
    [InlineData("0x2c0d6003", "was not found")]
    [InlineData("0x7f000001", "does not know")]
    public void KnownCauses_GetTheirSentence_WithTheCodeAndItsPage(string reported, string cause)
    {
        var failure = AttachFailure.TryParse(reported);

        Assert.NotNull(failure);
        Assert.Contains(cause, failure.Sentence, StringComparison.Ordinal);
        Assert.Contains($"https://ipxe.org/{failure.Hex}", failure.Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0x")]
    [InlineData("${errno}")]
    [InlineData("0x410d613c; reboot")]
    [InlineData("-5")]
    [InlineData("99999999999999")]
    public void MissingOrMalformed_IsNoFailure(string? reported) => Assert.Null(AttachFailure.TryParse(reported));
}
