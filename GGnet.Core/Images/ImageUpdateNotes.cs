using System.Globalization;
using GGnet.Core.Domain.Images;

namespace GGnet.Core.Images;

/// <summary>One line of the dashboard about an image update on its way: a candidate in its test boot, passed or failed, or a canary.</summary>
public sealed record ImageUpdateNote(int ImageId, bool Warning, string Sentence);

/// <summary>What the dashboard says of image updates that wait for the admin or run now; nothing for an image at rest.</summary>
public static class ImageUpdateNotes
{
    public static IReadOnlyList<ImageUpdateNote> For(IReadOnlyList<Image> images, IReadOnlyDictionary<int, string> groupNames)
    {
        var notes = new List<ImageUpdateNote>();
        foreach (var image in images.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var current = image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId);
            if (image.CanaryVersionId is { } canaryId && image.Versions.FirstOrDefault(v => v.Id == canaryId) is { } canary)
            {
                var group = image.CanaryGroupId is { } groupId && groupNames.TryGetValue(groupId, out var name) ? $"group '{name}'" : "a deleted group";
                notes.Add(new ImageUpdateNote(image.Id, false, $"{ImageVersion.Label(image.Name, canary.Number)} is being tried on {group} " +
                    $"since {image.CanarySince:HH:mm} UTC; every other PC boots v{current?.Number}."));
            }
            // The newest candidate only: an older one was left behind.
            var candidate = image.Versions.Where(v => v.Trial != TrialState.None && v.Id != image.CurrentVersionId && v.Id != image.CanaryVersionId
                && v.Number > (current?.Number ?? 0)).MaxBy(v => v.Number);
            if (candidate is null)
            {
                continue;
            }
            var label = ImageVersion.Label(image.Name, candidate.Number);
            notes.Add(candidate.Trial switch
            {
                TrialState.Waiting or TrialState.Booting => new ImageUpdateNote(image.Id, false, $"{label} is being test-booted before any PC gets it."),
                TrialState.Passed => new ImageUpdateNote(image.Id, false, $"{label} passed its test boot{Seconds(candidate.TrialBootSeconds)}: make it current on the Images page."),
                _ => new ImageUpdateNote(image.Id, true, $"{label} failed its test boot: {candidate.TrialSentence} PCs keep v{current?.Number}."),
            });
        }
        return notes;
    }

    private static string Seconds(double? seconds) => seconds is { } value ? string.Create(CultureInfo.InvariantCulture, $" (its OS took over in {value:0} s)") : "";
}
