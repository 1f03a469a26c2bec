using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Backups;

/// <summary>Section <c>Backup</c>: where the nightly backups go, how many are kept and when they are made.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>Default: <c>backups</c> in the data directory. Better: a disk of its own, or one mounted from another machine.</summary>
    public string? Directory { get; set; }

    [Range(1, 3650)]
    public int Keep { get; set; } = 14;

    /// <summary>A cron expression in the server's local time; default every night at 03:00.</summary>
    [Required]
    public string Cron { get; set; } = "0 3 * * *";
}
