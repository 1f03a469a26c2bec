namespace GGnet.Core.Domain.Webhooks;

/// <summary>Which events an endpoint receives: every one ("all"), or the named ones. Stored as "all" or the names joined by commas.</summary>
public sealed record WebhookEventFilter
{
    public const string AllName = "all";

    private WebhookEventFilter(IReadOnlyList<string> events) => Events = events;

    /// <summary>The names subscribed to; empty for all.</summary>
    public IReadOnlyList<string> Events { get; }

    public bool IsAll => Events.Count == 0;

    public static WebhookEventFilter Everything { get; } = new([]);

    public string Value => IsAll ? AllName : string.Join(',', Events);

    public bool Matches(string eventType) => IsAll || Events.Contains(eventType, StringComparer.Ordinal);

    public override string ToString() => Value;

    // Two filters are equal when they choose the same events (a list compares by reference).
    public bool Equals(WebhookEventFilter? other) => other is not null && Value == other.Value;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static WebhookEventFilter Parse(string? text) =>
        TryParse((text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), out var filter, out var error)
            ? filter
            : throw new FormatException(error);

    public static bool TryParse(IEnumerable<string?>? names, [NotNullWhen(true)] out WebhookEventFilter? filter, [NotNullWhen(false)] out string? error)
    {
        filter = null;
        error = null;
        var given = (names ?? []).Select(n => n?.Trim().ToLowerInvariant() ?? "").Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (given.Count == 0)
        {
            error = $"Choose the events this endpoint receives, or \"{AllName}\": {string.Join(", ", WebhookEventTypes.All)}.";
            return false;
        }
        if (given.Contains(AllName))
        {
            filter = Everything;
            return true;
        }
        var unknown = given.Where(n => !WebhookEventTypes.All.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            error = $"GGnet has no event {string.Join(", ", unknown.Select(u => $"'{Printable.Of(u)}'"))}; the events are {string.Join(", ", WebhookEventTypes.All)}, or \"{AllName}\".";
            return false;
        }
        filter = new WebhookEventFilter([.. WebhookEventTypes.All.Where(given.Contains)]);
        return true;
    }
}
