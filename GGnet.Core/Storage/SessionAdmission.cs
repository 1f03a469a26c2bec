using System.Globalization;

namespace GGnet.Core.Storage;

/// <summary>
/// Whether the session storage can take new sessions without running PCs meeting a full disk: what the running sessions
/// may still write (their quota less what they wrote), what the new ones may write, and a reserve must all fit in the
/// free space. Only sessions of images with a write quota count: without any, only the fill level limits starts.
/// </summary>
public static class SessionAdmission
{
    /// <summary>The refusal, naming the number that is short, or null.</summary>
    /// <param name="running">Each running session with a quota: the quota and what it wrote so far.</param>
    public static string? Refusal(StorageUsage usage, IReadOnlyList<(long QuotaBytes, long OwnBytes)> running, long? newQuotaBytes, int newSessions)
    {
        if (running.Count == 0 && newQuotaBytes is null)
        {
            return null;
        }
        var stillToWrite = running.Sum(r => Math.Max(0, r.QuotaBytes - r.OwnBytes));
        var newOnes = (newQuotaBytes ?? 0) * newSessions;
        var needed = stillToWrite + newOnes + usage.AdmissionReserveBytes;
        if (usage.FreeBytes >= needed)
        {
            return null;
        }
        var sessionsText = running.Count == 1 ? "session" : "sessions";
        var newText = newQuotaBytes is null ? "" : newSessions == 1 ? $"this one up to {Gib(newOnes)}, " : FormattableString.Invariant($"these {newSessions} up to {Gib(newOnes)}, ");
        return FormattableString.Invariant($"The session disk storage ({usage.Folder}) has {Gib(usage.FreeBytes)} free, but its {running.Count} running {sessionsText} ")
            + $"may still write {Gib(stillToWrite)} within their quotas, {newText}and {Gib(usage.AdmissionReserveBytes)} stays in reserve: {Gib(needed - usage.FreeBytes)} short. "
            + "Stop sessions, free space, or lower the images' write quotas (Images).";
    }

    private static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB");
}
