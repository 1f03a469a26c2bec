using System.Globalization;

namespace GGnet.Core.Storage;

/// <summary>
/// How full the filesystem of the session disks is, and the two limits: warn above one, refuse new sessions above
/// the other. Counted like <c>df</c>: used against used plus what GGnet may still use (blocks reserved for root aside).
/// </summary>
/// <param name="AdmissionReserveBytes">Kept free beyond what running sessions may still write within their quotas (<see cref="SessionAdmission"/>).</param>
public sealed record StorageUsage(string Folder, long UsedBytes, long FreeBytes, int WarnAbovePercent, int RefuseAbovePercent, long AdmissionReserveBytes = 1L << 30)
{
    public long TotalBytes => UsedBytes + FreeBytes;

    public double UsedPercent => TotalBytes == 0 ? 0 : 100.0 * UsedBytes / TotalBytes;

    public bool IsWarning => UsedPercent >= WarnAbovePercent;

    public bool RefusesNewSessions => UsedPercent >= RefuseAbovePercent;

    /// <summary>A line for the admin: free space, and what happens at this level.</summary>
    public string Sentence => RefusesNewSessions
        ? string.Create(CultureInfo.InvariantCulture, $"The session disk storage ({Folder}) is {UsedPercent:0}% full, over the {RefuseAbovePercent}% limit: " +
            $"new sessions are refused. Delete unused images, or give {Folder} more space.")
        : IsWarning
            ? string.Create(CultureInfo.InvariantCulture, $"The session disk storage ({Folder}) is {UsedPercent:0}% full; at {RefuseAbovePercent}% new sessions are refused. {Gib(FreeBytes)} free.")
            : string.Create(CultureInfo.InvariantCulture, $"{Gib(FreeBytes)} free of {Gib(TotalBytes)} ({UsedPercent:0}% used) in {Folder}.");

    private static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB");
}
