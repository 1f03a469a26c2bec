namespace GGnet.Core.Webhooks;

/// <summary>
/// How hard GGnet tries (settings Webhooks:*): after a failed attempt it waits the next of <paramref name="RetryDelays"/> and tries
/// again, so there are at most one more attempts than delays; deliveries older than <paramref name="KeepDays"/> days are deleted.
/// </summary>
public sealed record WebhookPolicy(IReadOnlyList<TimeSpan> RetryDelays, int KeepDays)
{
    public int MaxAttempts => RetryDelays.Count + 1;
}
