namespace GGnet.Infrastructure.Iscsi.Tgt;

/// <summary>
/// Reads <c>tgtadm --op show --mode conn --tid N</c>: "Session: S" lines, each followed by its "Connection: C" line, the
/// initiator's name and its "IP Address: A".
/// </summary>
public static class TgtConnectionListing
{
    /// <summary>One connection: its session and connection ids, as tgtd wants them to drop it, and where it comes from.</summary>
    public sealed record Connection(string Sid, string Cid, string? Address);

    public static IReadOnlyList<Connection> Parse(string text)
    {
        var connections = new List<Connection>();
        string? session = null;
        foreach (var line in text.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("Session:", StringComparison.Ordinal) && IsNumber(line["Session:".Length..].Trim()))
            {
                session = line["Session:".Length..].Trim();
            }
            else if (line.StartsWith("Connection:", StringComparison.Ordinal) && session is not null && IsNumber(line["Connection:".Length..].Trim()))
            {
                connections.Add(new Connection(session, line["Connection:".Length..].Trim(), null));
            }
            else if (line.StartsWith("IP Address:", StringComparison.Ordinal) && connections.Count > 0 && connections[^1].Address is null)
            {
                connections[^1] = connections[^1] with { Address = line["IP Address:".Length..].Trim() };
            }
        }
        return connections;
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
