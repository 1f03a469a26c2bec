using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Webhooks;

/// <summary>How webhooks are sent and kept. Section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>The pauses before each retry; its length is the number of retries. Unset: 10 s, 1 min, 5 min, 30 min, 2 h.</summary>
    /// <remarks>Nullable on purpose: the configuration binder appends to an array that has a default instead of replacing it.</remarks>
    public int[]? RetryDelaysSeconds { get; set; }

    /// <summary>How long one attempt may take, connecting included, before it counts as failed.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Deliveries and their attempts older than this are deleted every night.</summary>
    [Range(1, 365)]
    public int KeepDays { get; set; } = 14;

    public IReadOnlyList<int> RetryDelays => RetryDelaysSeconds ?? [10, 60, 300, 1_800, 7_200];
}
