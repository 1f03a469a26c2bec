using GGnet.Infrastructure.Iscsi.Tgt.Control;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>The one buffer kept for tgtd's long answers: reused, never shared by two readers at once.</summary>
public sealed class SpareBufferTests
{
    [Fact]
    public void ABufferGivenBack_IsTakenAgain_ForAnAnswerAFewBytesLonger()
    {
        var spare = new SpareBuffer<byte>();

        var first = spare.Take(470_000);
        spare.Give(first);
        var next = spare.Take(470_100);

        Assert.Same(first, next);
        Assert.Equal(524_288, first.Length);
    }

    [Fact]
    public void TwoReadersAtOnce_GetTwoBuffers_AndTheLargerIsKept()
    {
        var spare = new SpareBuffer<char>();

        var one = spare.Take(20_000);
        var other = spare.Take(100_000);
        spare.Give(other);
        spare.Give(one);

        Assert.NotSame(one, other);
        Assert.Same(other, spare.Take(50_000));
        Assert.NotSame(other, spare.Take(50_000));
    }

    [Fact]
    public void AShortAnswerWhileAListingIsRead_NeverTakesTheSpare()
    {
        var spare = new SpareBuffer<byte>();
        var listing = spare.Take(470_000);
        spare.Give(listing);

        var code = spare.Take(120);
        var again = spare.Take(470_000);

        Assert.True(code.Length <= SpareBuffer<byte>.ShortMax);
        Assert.Same(listing, again);
    }

    [Fact]
    public void ALongerAnswerThanTheSpare_GetsABufferOfItsOwnSize()
    {
        var spare = new SpareBuffer<byte>();
        spare.Give(spare.Take(10_000));

        var longer = spare.Take(3_000_000);

        Assert.True(longer.Length >= 3_000_000);
    }
}
