using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Persistence;

/// <summary>Section <c>Audit</c>: how long the audit trail is kept.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Events older than this many days are deleted every night.</summary>
    [Range(1, 36500)]
    public int RetentionDays { get; set; } = 365;
}
