using GGnet.Core.Domain.Nodes;

namespace GGnet.Core.Nodes;

/// <summary>A node as the Nodes page shows it: up or down (with a sentence), and what it carries.</summary>
public sealed record NodeStatus(Node Node, bool Up, bool IsThisNode, int ActiveSessions, int Images)
{
    public string Sentence(DateTime now) => Up
        ? $"Up: last heard from {Ago(now - Node.LastSeenAt)}."
        : $"Down: not heard from since {Node.LastSeenAt:yyyy-MM-dd HH:mm:ss} UTC. Its sessions were failed; start GGnet on {Node.Name} again (systemctl start ggnet), then start them again.";

    private static string Ago(TimeSpan span) => span.TotalSeconds < 2 ? "just now" : $"{(int)span.TotalSeconds} s ago";
}
