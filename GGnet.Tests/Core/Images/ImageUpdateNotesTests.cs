using GGnet.Core.Domain.Images;
using GGnet.Core.Images;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Images;

/// <summary>What the dashboard says of image updates on their way, and that it says nothing of an image at rest.</summary>
public sealed class ImageUpdateNotesTests
{
    private static readonly DateTime At = new(2026, 12, 5, 9, 12, 0, DateTimeKind.Utc);
    private static readonly Dictionary<int, string> Groups = new() { [1] = "Hall A" };

    [Fact]
    public async Task AnImageAtRest_OrWithOnlyOlderTestedVersions_SaysNothing()
    {
        var images = new InMemoryImages();
        var first = images.Add("win11", "/images/win11/1.img");
        var second = images.AddVersion(first.ImageId, v => v.PassTrial(40, "passed", "", At));
        await images.MakeCurrentAsync(first.ImageId, second.Id, CancellationToken.None);

        Assert.Empty(ImageUpdateNotes.For(await images.ListAsync(CancellationToken.None), Groups));
    }

    [Theory]
    [InlineData(TrialState.Booting, false, "win11 v2 is being test-booted before any PC gets it.")]
    [InlineData(TrialState.Passed, false, "win11 v2 passed its test boot (its OS took over in 41 s): make it current on the Images page.")]
    [InlineData(TrialState.Failed, true, "win11 v2 failed its test boot: The firmware could not boot its disk. PCs keep v1.")]
    public async Task ANewerCandidate_IsNotedAsItStands(TrialState state, bool warning, string sentence)
    {
        var images = new InMemoryImages();
        var first = images.Add("win11", "/images/win11/1.img");
        images.AddVersion(first.ImageId, v =>
        {
            v.AwaitTrial();
            if (state == TrialState.Booting)
            {
                v.StartTrial(At);
            }
            else if (state == TrialState.Passed)
            {
                v.PassTrial(41, "passed", "", At);
            }
            else
            {
                v.FailTrial("The firmware could not boot its disk.", "", At);
            }
        });

        var note = Assert.Single(ImageUpdateNotes.For(await images.ListAsync(CancellationToken.None), Groups));

        Assert.Equal((first.ImageId, warning, sentence), (note.ImageId, note.Warning, note.Sentence));
    }

    [Fact]
    public async Task ACanary_SaysWhichGroupTriesIt_AndSinceWhen()
    {
        var images = new InMemoryImages();
        var first = images.Add("win11", "/images/win11/1.img");
        var second = images.AddVersion(first.ImageId, v => v.PassTrial(41, "passed", "", At));
        (await images.FindAsync(first.ImageId, CancellationToken.None))!.StartCanary(second, 1, At);

        var note = Assert.Single(ImageUpdateNotes.For(await images.ListAsync(CancellationToken.None), Groups));

        Assert.Equal("win11 v2 is being tried on group 'Hall A' since 09:12 UTC; every other PC boots v1.", note.Sentence);
    }
}
