namespace GGnet.Infrastructure.Nodes;

/// <summary>Redis, which several GGnet nodes share for live updates. Section <c>Redis</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>10.0.0.5:6379,password=…</c>; empty for a single node (no Redis).</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of GGnet's Redis channels, so that two clusters can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "ggnet";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
