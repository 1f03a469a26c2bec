using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;

namespace GGnet.Core.Images;

/// <summary>
/// What stands between a candidate and PCs (made current, or a group's canary): its test boot must have ended, and passed,
/// or the admin gives a reason, which the audit keeps.
/// </summary>
internal static class CandidateGate
{
    public const int MaxReasonLength = 500;

    /// <returns>Null when the version may go to PCs as it is; the admin's reason (checked) when it failed its test boot.</returns>
    public static string? Reason(Image image, ImageVersion version, string? overrideReason, string what)
    {
        var label = ImageVersion.Label(image.Name, version.Number);
        if (version.TrialRunning)
        {
            throw new ConflictException($"{label} is still in its test boot. It can be {what} once it passed (a minute or two; the Images page shows it).");
        }
        if (version.Trial != TrialState.Failed)
        {
            return null;
        }
        var reason = overrideReason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new ConflictException($"{label} failed its test boot: {version.TrialSentence} It can be {what} anyway only with a reason (kept in the audit log), " +
                "or test it again.");
        }
        if (reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["overrideReason"] = [$"The reason must be one line of at most {MaxReasonLength} characters."],
            });
        }
        return reason;
    }
}
